package dev.eventsource.kafka.consumer;

import dev.eventsource.Record;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consumer side's check of each aggregate's versions: a message whose version was already applied is a duplicate
 * (the relay sends again what was in flight at a crash) and is dropped; a version beyond the next one is a gap, and
 * one that goes back while not yet applied is a reordering: both are {@link EventSequenceGapException}s, never
 * passed over.
 *
 * <p>{@link #inMemory()} keeps the versions in this process: after a restart it takes each aggregate's first event
 * as it comes. {@link #of(AggregateVersions)} keeps them where the read model says, ideally in its own transaction.
 */
public final class EventSequence {

    /** What to do with a message. */
    public enum Verdict {
        /** The next version of its aggregate: apply it, then call {@link #applied}. */
        APPLY,
        /** Already applied: drop it. */
        DUPLICATE
    }

    private final AggregateVersions versions;

    private EventSequence(AggregateVersions versions) {
        this.versions = versions;
    }

    /** @return a sequence that keeps the versions in memory */
    public static EventSequence inMemory() {
        return new EventSequence(new MemoryVersions());
    }

    /**
     * Returns a sequence that keeps the versions in the given place (the read model's tables).
     *
     * @param versions where the versions are kept
     * @return the sequence
     */
    public static EventSequence of(AggregateVersions versions) {
        return new EventSequence(Objects.requireNonNull(versions, "versions"));
    }

    /**
     * Checks a received event against its aggregate's last applied version.
     *
     * @param record the event, as parsed from its message
     * @return {@link Verdict#APPLY} for the next version, {@link Verdict#DUPLICATE} for one already applied
     * @throws EventSequenceGapException when versions are missing before it
     */
    public Verdict check(Record record) {
        long last = versions.lastVersion(record.aggregateType(), record.aggregateId());
        if (last < 0 || record.version() == last + 1) {
            return Verdict.APPLY;
        }
        if (record.version() <= last) {
            return Verdict.DUPLICATE;
        }
        throw new EventSequenceGapException(record, last);
    }

    /**
     * Records that an event was applied: call it after applying it (in its transaction, when the versions are kept
     * with the read model).
     *
     * @param record the event
     */
    public void applied(Record record) {
        versions.applied(record.aggregateType(), record.aggregateId(), record.version());
    }

    /** The versions of this process: unknown aggregates are taken from their first event. */
    private static final class MemoryVersions implements AggregateVersions {

        private final Map<String, Long> versions = new ConcurrentHashMap<>();

        @Override
        public long lastVersion(@Nullable String aggregateType, String aggregateId) {
            return versions.getOrDefault(key(aggregateType, aggregateId), -1L);
        }

        @Override
        public void applied(@Nullable String aggregateType, String aggregateId, long version) {
            versions.merge(key(aggregateType, aggregateId), version, Math::max);
        }

        private static String key(@Nullable String aggregateType, String aggregateId) {
            return aggregateType == null ? "\u0000" + aggregateId : aggregateType + "\u0000" + aggregateId;
        }
    }
}
