package dev.eventsource.benchmarks;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Snapshot;
import dev.eventsource.SnapshotPolicy;
import dev.eventsource.benchmarks.model.Account;
import dev.eventsource.benchmarks.model.Events;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.jdbc.JdbcSnapshotStore;
import dev.eventsource.store.jdbc.JdbcStore;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The issue 15 snapshot set-up: one {@link JdbcStore} with its {@link JdbcSnapshotStore}, and three repositories of
 * the benchmark {@link Account} (snapshots every 100 events, {@code @Snapshotting(every = 100)}) on them: without
 * snapshots (every load replays all events), with snapshots as a user configures them (taken off the caller's
 * thread, on the default executor) and, to take the snapshots of the seeded aggregates before a measurement,
 * with a synchronous executor ({@code Runnable::run}) and a snapshot at every load.
 */
final class SnapshotFixture {

    /** Events stored after the snapshot in the load scenarios: the mean with a snapshot every 100 events. */
    static final int EVENTS_AFTER_SNAPSHOT = 50;
    /** Events per save while seeding, so that 100,000 events need no statement or list of that size. */
    private static final int SEED_BATCH = 5_000;

    final JdbcStore store;
    final Repository<Account> replaying;
    final Repository<Account> snapshotting;
    private final Repository<Account> synchronous;
    private final JdbcSnapshotStore snapshots;

    SnapshotFixture(DataSource dataSource) {
        store = JdbcStore.builder(dataSource).tableName("snap_events").build();
        store.createSchema();
        snapshots = JdbcSnapshotStore.of(store);
        JacksonSerializer serializer = JacksonSerializer.json();
        replaying = Repository.builder(Account.class).store(store).serializer(serializer).build();
        snapshotting = Repository.builder(Account.class).store(store).serializer(serializer).snapshots(snapshots)
                .build();
        // Every load takes one (every = 1) and the revision is the class's, so the snapshots it writes are the
        // ones the snapshotting repository accepts.
        synchronous = Repository.builder(Account.class).store(store).serializer(serializer)
                .snapshots(snapshots, new SnapshotPolicy(1, Duration.ZERO, SnapshotPolicy.of(Account.class).revision()))
                .snapshotExecutor(Runnable::run).build();
    }

    /**
     * A repository taking a snapshot every {@code every} events on the caller's thread ({@code Runnable::run}), so
     * that a command's time includes its share of the snapshots' cost: how the default of every 100 was chosen.
     */
    Repository<Account> snapshottingEvery(int every) {
        return Repository.builder(Account.class).store(store).serializer(replaying.serializer())
                .snapshots(snapshots, new SnapshotPolicy(every, Duration.ZERO,
                        SnapshotPolicy.of(Account.class).revision()))
                .snapshotExecutor(Runnable::run).build();
    }

    /**
     * Stores an account of {@code events} events, with a snapshot at version {@code snapshotAt} (none when 0):
     * saves the first {@code snapshotAt} events in batches, loads them once through the synchronous repository
     * (which takes the snapshot before it returns), then saves the rest.
     */
    void seed(String aggregateId, int events, int snapshotAt) {
        List<Event> history = Events.history(aggregateId, events);
        save(aggregateId, history.subList(0, snapshotAt));
        if (snapshotAt > 0) {
            synchronous.load(aggregateId);
            Snapshot taken = snapshots.load(replaying.aggregateTypeName(), aggregateId);
            if (taken == null || taken.version() != snapshotAt) {
                throw new IllegalStateException("No snapshot of " + aggregateId + " at version " + snapshotAt
                        + " after the seeding load: " + taken);
            }
        }
        save(aggregateId, history.subList(snapshotAt, events));
    }

    private void save(String aggregateId, List<Event> events) {
        for (int from = 0; from < events.size(); from += SEED_BATCH) {
            List<Record> records = new ArrayList<>(SEED_BATCH);
            for (Event event : events.subList(from, Math.min(events.size(), from + SEED_BATCH))) {
                records.add(replaying.serializer().marshal(event).withAggregateType(replaying.aggregateTypeName()));
            }
            store.save(aggregateId, records);
        }
    }
}
