package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.benchmarks.model.Deposit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.UUID;

/**
 * The snapshot scenarios of issue 15, ours only (with snapshots against without), on {@link SnapshotFixture}:
 * {@code JdbcStore} and {@code JdbcSnapshotStore} on the shared PostgreSQL server, snapshots every 100 events.
 * Throughput: one operation is one load, or one command.
 */
public class SnapshotBenchmarks {

    /** The store and the repositories, once per fork. */
    @State(Scope.Benchmark)
    public static class Fixture {
        HikariDataSource pool;
        SnapshotFixture fixture;

        @Setup(Level.Trial)
        public void start() {
            pool = BenchDatabase.pool();
            fixture = new SnapshotFixture(pool);
        }

        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /**
     * An account of {@code events} events whose snapshot is {@value SnapshotFixture#EVENTS_AFTER_SNAPSHOT} events
     * old (the mean with a snapshot every 100 events): a load reads the snapshot and replays 50 events.
     */
    @State(Scope.Benchmark)
    public static class Seeded {
        @Param({"100", "1000", "10000", "100000"})
        public int events;

        String id;

        @Setup(Level.Trial)
        public void seed(Fixture fixture) {
            id = "snap-" + events + "-" + UUID.randomUUID();
            fixture.fixture.seed(id, events, events - SnapshotFixture.EVENTS_AFTER_SNAPSHOT);
        }
    }

    /**
     * An account of 1,000 to 1,099 events: seeded with 1,000 (and, with {@code snapshots}, a snapshot at 1,000), it
     * takes 100 deposits before a fresh one is seeded (in an invocation-level setup, outside the measurement). With
     * snapshots a command so loads the snapshot and 0 to 99 events, as with a snapshot every 100 events; the 100th
     * deposit makes the next snapshot due, which the default executor takes off the command's thread.
     */
    @State(Scope.Thread)
    public static class Cycling {
        @Param({"true", "false"})
        public boolean snapshots;

        private final String prefix = "apply1000-" + UUID.randomUUID() + "-";
        private int next;
        String id;
        int commands;

        @Setup(Level.Invocation)
        public void ensureRoom(Fixture fixture) {
            if (id == null || commands >= 100) {
                id = prefix + next++;
                fixture.fixture.seed(id, 1000, snapshots ? 1000 : 0);
                commands = 0;
            }
        }
    }

    /**
     * Loads the account through the repository with snapshots: the snapshot, then the events after it.
     *
     * @return its balance
     */
    @Benchmark
    public long loadSnapshot(Fixture fixture, Seeded aggregate) {
        return fixture.fixture.snapshotting.load(aggregate.id).balance();
    }

    /**
     * Loads the same account through the repository without snapshots: every event replayed.
     *
     * @return its balance
     */
    @Benchmark
    public long loadReplay(Fixture fixture, Seeded aggregate) {
        return fixture.fixture.replaying.load(aggregate.id).balance();
    }

    /** One deposit (load, handle, append) on an account of 1,000 to 1,099 events, with or without snapshots. */
    @Benchmark
    public void apply1000(Fixture fixture, Cycling aggregate) {
        (aggregate.snapshots ? fixture.fixture.snapshotting : fixture.fixture.replaying)
                .apply(new Deposit(aggregate.id, 1));
        aggregate.commands++;
    }
}
