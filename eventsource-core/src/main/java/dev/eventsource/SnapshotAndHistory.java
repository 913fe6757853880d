package dev.eventsource;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * An aggregate's latest snapshot and its events from the snapshot's version on, read together
 * ({@link Store#loadWithSnapshot}).
 *
 * @param snapshot the latest snapshot, or null when the aggregate has none: then {@code history} is every event
 * @param history the events from the snapshot's version on (the first is the event the snapshot was taken at), or
 *     every event when there is no snapshot; never empty
 */
public record SnapshotAndHistory(@Nullable Snapshot snapshot, History history) {

    /**
     * @throws IllegalArgumentException when the history is empty, or does not start at the snapshot's version (at
     *     version 1 without one)
     */
    public SnapshotAndHistory {
        Objects.requireNonNull(history, "history");
        if (history.isEmpty()) {
            throw new IllegalArgumentException("A snapshot and history needs at least one event");
        }
        long first = history.get(0).version();
        long expected = snapshot == null ? 1 : snapshot.version();
        if (first != expected) {
            throw new IllegalArgumentException("The history starts at version " + first + " but must start at "
                    + expected + (snapshot == null ? " (no snapshot)" : " (the snapshot's version)"));
        }
    }
}
