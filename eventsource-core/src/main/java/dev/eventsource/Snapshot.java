package dev.eventsource;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The state of an aggregate at one version, kept so that a load replays only the events after it. A snapshot is a
 * cache: the events stay the source of truth, and deleting every snapshot changes no result.
 *
 * @param aggregateType the aggregate's type name ({@link Aggregate#typeName})
 * @param aggregateId the aggregate
 * @param version the version of the last event folded into the state, from 1
 * @param fingerprint the shape of the aggregate's state when the snapshot was taken ({@link StateSerializer#fingerprint}):
 *     a snapshot whose fingerprint is not today's is ignored
 * @param revision the snapshot revision the aggregate class declared ({@code @Snapshotting(revision = ...)}): raise
 *     it to retire every stored snapshot of the type when the meaning of the state changes but not its shape
 * @param takenAt when the snapshot was taken
 * @param data the state, serialized by a {@link StateSerializer}
 */
public record Snapshot(String aggregateType, String aggregateId, long version, String fingerprint, int revision,
                       Instant takenAt, byte[] data) {

    /**
     * Validates the parts.
     *
     * @throws IllegalArgumentException when a part is missing or out of range
     */
    public Snapshot {
        if (aggregateType == null || aggregateType.isBlank() || aggregateId == null || aggregateId.isBlank()) {
            throw new IllegalArgumentException("A snapshot needs a non-blank aggregate type and id, got "
                    + aggregateType + " '" + aggregateId + "'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("Snapshot of " + aggregateType + " '" + aggregateId + "' has version "
                    + version + "; versions start at 1");
        }
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot that && version == that.version && revision == that.revision
                && aggregateType.equals(that.aggregateType) && aggregateId.equals(that.aggregateId)
                && fingerprint.equals(that.fingerprint) && takenAt.equals(that.takenAt)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(aggregateType, aggregateId, version, fingerprint, revision, takenAt, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Snapshot[" + aggregateType + " " + aggregateId + "@" + version + ", fingerprint " + fingerprint
                + ", revision " + revision + ", taken at " + takenAt + ", " + data.length + " bytes]";
    }
}
