package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.benchmarks.contender.Contender;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.UUID;

/**
 * The scenarios of issue 6, each run for every contender (the {@code contender} parameter). Throughput in
 * operations per second: one operation is one command, or one load.
 *
 * <p>Commands on existing aggregates make them grow, so the aggregates cycle: "existing" aggregates have 1 to 10
 * events when the command runs, the apply scenario's 100 to 109; a fresh aggregate is seeded (outside the
 * measurement, in an invocation-level setup) when the current one is full.
 */
public class EventStoreBenchmarks {

    /** The contender under test, started once per fork. */
    @State(Scope.Benchmark)
    public static class Bench {
        @Param({Contender.OURS, Contender.RAW, Contender.AXON})
        public String contender;

        HikariDataSource pool;
        Contender impl;

        @Setup(Level.Trial)
        public void start() {
            pool = BenchDatabase.pool();
            impl = Contender.create(contender, pool);
        }

        @TearDown(Level.Trial)
        public void stop() {
            impl.close();
            pool.close();
        }
    }

    /** Fresh aggregate ids, unique across forks that share the database. */
    @State(Scope.Thread)
    public static class NewIds {
        private final String prefix = UUID.randomUUID() + "-";
        private long next;

        String next() {
            return prefix + next++;
        }
    }

    /** An aggregate with 1 to 10 events. */
    @State(Scope.Thread)
    public static class SmallAggregate extends Cycling {
        public SmallAggregate() {
            super(1, 10);
        }
    }

    /** An aggregate with 100 to 109 events. */
    @State(Scope.Thread)
    public static class LargeAggregate extends Cycling {
        public LargeAggregate() {
            super(100, 10);
        }
    }

    /** An aggregate of {@code events} events, seeded once per fork. */
    @State(Scope.Benchmark)
    public static class Seeded {
        @Param({"10", "100", "1000", "10000"})
        public int events;

        String id;

        @Setup(Level.Trial)
        public void seed(Bench bench) {
            id = "rehydrate-" + events + "-" + UUID.randomUUID();
            bench.impl.seed(id, events);
        }
    }

    /** Base of the aggregates that grow by one event per command and are replaced when full. */
    public abstract static class Cycling {
        private final NewIds ids = new NewIds();
        private final int seeded;
        private final int growth;
        String id;
        int commands;

        Cycling(int seeded, int growth) {
            this.seeded = seeded;
            this.growth = growth;
        }

        @Setup(Level.Invocation)
        public void ensureRoom(Bench bench) {
            if (id == null || commands >= growth) {
                id = ids.next();
                bench.impl.seed(id, seeded);
                commands = 0;
            }
        }
    }

    /** One command creating an aggregate with one event, on one thread. */
    @Benchmark
    public void appendNew(Bench bench, NewIds ids) {
        bench.impl.open(ids.next(), 0);
    }

    /** One command creating an aggregate with one event, on each of four threads. */
    @Benchmark
    @Threads(4)
    public void appendNew4Threads(Bench bench, NewIds ids) {
        bench.impl.open(ids.next(), 0);
    }

    /** One command appending one event to an aggregate of 1 to 10 events, on one thread. */
    @Benchmark
    public void appendExisting(Bench bench, SmallAggregate aggregate) {
        bench.impl.deposit(aggregate.id, 1);
        aggregate.commands++;
    }

    /** One command appending one event to an aggregate of 1 to 10 events, on each of four threads. */
    @Benchmark
    @Threads(4)
    public void appendExisting4Threads(Bench bench, SmallAggregate aggregate) {
        bench.impl.deposit(aggregate.id, 1);
        aggregate.commands++;
    }

    /** One command creating an aggregate with ten events. */
    @Benchmark
    public void appendBatch10(Bench bench, NewIds ids) {
        bench.impl.open(ids.next(), 9);
    }

    /**
     * Loads an aggregate of {@code events} events.
     *
     * @return its balance, so the load cannot be optimised away
     */
    @Benchmark
    public long rehydrate(Bench bench, Seeded aggregate) {
        return bench.impl.balance(aggregate.id);
    }

    /** One command (load, handle, append) on an aggregate of 100 to 109 events. */
    @Benchmark
    public void apply100(Bench bench, LargeAggregate aggregate) {
        bench.impl.deposit(aggregate.id, 1);
        aggregate.commands++;
    }
}
