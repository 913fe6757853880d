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
     * Stores a snapshot in place of the aggregate's stored one when it {@linkplain #replaces replaces} it: a newer
     * version, or the same version of another shape or revision (after a class change, an aggregate without new
     * events gets a usable snapshot again). Snapshots taken concurrently never move the state back.
     *
     * @param snapshot the snapshot
     * @return whether it was stored
     */
    boolean save(Snapshot snapshot);

    /**
     * The rule of {@link #save}: whether a new snapshot replaces the stored one.
     *
     * @param candidate the snapshot being saved
     * @param stored the aggregate's stored snapshot
     * @return whether the candidate's version is higher, or equal with another fingerprint or revision
     */
    static boolean replaces(Snapshot candidate, Snapshot stored) {
        return candidate.version() > stored.version() || (candidate.version() == stored.version()
                && (!candidate.fingerprint().equals(stored.fingerprint()) || candidate.revision() != stored.revision()));
    }

    /**
     * Deletes the snapshots of one aggregate type, for example to rebuild them after a fix of an event handler;
     * the next loads replay from the events and take new ones.
     *
     * @param aggregateType the aggregate's type name
     * @return how many snapshots were deleted
     */
    int deleteAll(String aggregateType);
}
