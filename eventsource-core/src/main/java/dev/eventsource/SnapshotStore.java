package dev.eventsource;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the latest {@link Snapshot} of each aggregate. Implementations: the memory store's
 * {@code MemorySnapshotStore} and the JDBC store's snapshot table.
 */
public interface SnapshotStore {

    /**
     * Loads the latest snapshot of an aggregate.
     *
     * @param aggregateType the aggregate's type name
     * @param aggregateId the aggregate
     * @return the snapshot, or {@code null} when there is none
     */
    @Nullable Snapshot load(String aggregateType, String aggregateId);

    /**
     * Stores a snapshot in place of the aggregate's older one; a snapshot whose version is not above the stored
     * one's is not stored (snapshots taken concurrently never move the state back).
     *
     * @param snapshot the snapshot
     * @return whether it was stored
     */
    boolean save(Snapshot snapshot);

    /**
     * Deletes the snapshots of one aggregate type, for example to rebuild them after a fix of an event handler;
     * the next loads replay from the events and take new ones.
     *
     * @param aggregateType the aggregate's type name
     * @return how many snapshots were deleted
     */
    int deleteAll(String aggregateType);
}
