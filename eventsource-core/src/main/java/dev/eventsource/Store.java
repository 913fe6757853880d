package dev.eventsource;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.List;

/**
 * Saves and loads the records of aggregates. Every implementation keeps these rules:
 *
 * <ul>
 *   <li>{@link #save} appends exactly the next versions of the aggregate, as one atomic batch; anything else is a
 *       {@link ConcurrencyConflictException}. Saving a batch that is already stored, identical (same versions,
 *       types, {@linkplain Record#revision() revisions} and payloads), succeeds and changes nothing (a retry after
 *       an ambiguous commit).</li>
 *   <li>Streams are typed: every record names the {@linkplain Record#aggregateType() aggregate type} of its
 *       stream, all records of an aggregate id have the same one, and an append of another type to an existing id
 *       is an {@link AggregateNotFoundException} for that type (ids are unique across aggregate types). Records
 *       load with their aggregate type, {@linkplain Record#revision() revision} and
 *       {@linkplain Record#commandId() command id}.</li>
 *   <li>{@link #load} of an aggregate without events throws {@link AggregateNotFoundException}.</li>
 *   <li>Each committed record gets a global position, at the latest when the global stream is next read, such
 *       that a record committed later never gets a position below one {@link #readAll} has already returned: a
 *       reader never misses a record that commits late. A store may number records at insert (under a lock that
 *       orders commits) or after commit; until it has, a loaded record's position is 0.</li>
 * </ul>
 */
public interface Store {

    /**
     * Appends records to an aggregate's history, all or nothing.
     *
     * @param aggregateId the aggregate; every record must carry the same id
     * @param records the records, with consecutive versions continuing the stored history; empty is a no-op
     * @return {@code true} when the records were appended; {@code false} when exactly these records (same
     *     versions, types, revisions and payloads) were already stored, so nothing changed (a retried save)
     * @throws ConcurrencyConflictException when the first version is not the stored version plus one
     * @throws AggregateNotFoundException when the id is a stream of another aggregate type
     * @throws IllegalArgumentException when the id is blank, a record is null, belongs to another aggregate, has
     *     no aggregate type or another one than the others, or the versions are not consecutive
     * @throws UnstorableEventException when a record holds what no store can keep ({@link EventLimits}); nothing
     *     is stored
     */
    boolean save(String aggregateId, List<Record> records);

    /**
     * Appends records; see {@link #save(String, List)}.
     *
     * @return {@code true} when appended, {@code false} when exactly these records were already stored
     * @throws ConcurrencyConflictException when the first version is not the stored version plus one
     */
    default boolean save(String aggregateId, Record... records) {
        return save(aggregateId, Arrays.asList(records));
    }

    /**
     * Loads the records of an aggregate with versions in {@code [fromVersion, toVersion]}, ordered by version;
     * 0 leaves that side open.
     *
     * @param aggregateId the aggregate
     * @param fromVersion the first version to load, or 0 for the first one
     * @param toVersion the last version to load, or 0 for the latest
     * @return the records in range; empty when the aggregate exists but has none in range
     * @throws AggregateNotFoundException when the aggregate has no events at all
     */
    History load(String aggregateId, long fromVersion, long toVersion);

    /**
     * Loads records as {@link #load(String, long, long)} does, but as of the latest commit even inside a
     * transaction that reads from an older snapshot; the {@link Repository} reloads with it when it retries a
     * command after a {@link ConcurrencyConflictException}. The default is {@code load}, right for stores whose
     * reads always see the latest commit. A store that can only give the latest state by locking (the JDBC store
     * on MySQL and MariaDB, inside a caller's transaction) takes those locks here, and keeps them until that
     * transaction ends.
     *
     * @param aggregateId the aggregate
     * @param fromVersion the first version to load, or 0 for the first one
     * @param toVersion the last version to load, or 0 for the latest
     * @return the records in range; empty when the aggregate exists but has none in range
     * @throws AggregateNotFoundException when the aggregate has no events at all
     */
    default History loadLatest(String aggregateId, long fromVersion, long toVersion) {
        return load(aggregateId, fromVersion, toVersion);
    }

    /**
     * Loads the whole history of an aggregate.
     *
     * @return all its records
     * @throws AggregateNotFoundException when the aggregate has no events
     */
    default History load(String aggregateId) {
        return load(aggregateId, 0, 0);
    }

    /**
     * Reads an aggregate's latest snapshot from a snapshot store and its events from the snapshot's version on (all
     * of them when it has none) in one round trip, where this store can: a {@code JdbcStore} with the
     * {@code JdbcSnapshotStore} beside its table. A repository with snapshots asks this first, and reads the two
     * separately when the answer is null. The snapshot is returned as stored: whether it fits the aggregate's class
     * is the caller's question.
     *
     * @param snapshots the repository's snapshot store
     * @param aggregateType the aggregate's type name, as snapshots are keyed
     * @param aggregateId the aggregate
     * @param latest whether to read as {@link #loadLatest} does (a retry inside a transaction)
     * @return the snapshot and the events, or null when this store cannot read them together, or found nothing to
     *     read together (no events, or none at the snapshot's version): the caller then reads them separately
     */
    default @Nullable SnapshotAndHistory loadWithSnapshot(SnapshotStore snapshots, String aggregateType,
                                                          String aggregateId, boolean latest) {
        return null;
    }

    /**
     * Returns whether a command id is stored with an aggregate's events up to a version: how a repository that
     * loaded from a {@link Snapshot} finds a repeated command whose events are older than the snapshot. The
     * default reads those events; stores that can ask the database do.
     *
     * @param aggregateId the aggregate
     * @param commandId the command's id
     * @param toVersion the last version to look at
     * @return whether an event up to that version carries the command id
     */
    default boolean hasCommand(String aggregateId, String commandId, long toVersion) {
        if (toVersion < 1) {
            return false;
        }
        History history;
        try {
            history = load(aggregateId, 1, toVersion);
        } catch (AggregateNotFoundException notFound) {
            return false;
        }
        for (Record record : history) {
            if (commandId.equals(record.commandId())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the global stream: records of all aggregates with a position after the given one, in position order.
     * A record that commits later never gets a position below one already returned.
     *
     * @param afterPosition the last position already read, 0 to start at the beginning
     * @param limit the most records to return, at least 1
     * @return the records, possibly empty
     */
    List<Record> readAll(long afterPosition, int limit);

    /**
     * Returns the position of the last record in the global stream as of now: a subscription that starts "from the
     * end" begins after it, and the lag of a subscription is measured against it. Records committed later always
     * get higher positions. The default pages through {@link #readAll}; stores override it with one query.
     *
     * @return the highest position stored, 0 when the store is empty
     */
    default long lastPosition() {
        long last = 0;
        for (List<Record> page = readAll(0, 1000); !page.isEmpty(); page = readAll(last, 1000)) {
            last = page.get(page.size() - 1).position();
        }
        return last;
    }
}
