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

import java.util.UUID;

/**
 * Issue 11: appends of many writers at once. Each writer thread runs the command that opens an account (one event
 * on a new aggregate) as fast as it can; the runner runs this benchmark at 1, 4, 8 and 16 threads (JMH's
 * {@code threads} option), so the score is the throughput of all writers together. Every contender gets the same
 * pool of {@value BenchDatabase#CONCURRENT_POOL_SIZE} connections, enough for 16 writers.
 */
public class ConcurrentAppendBenchmarks {

    /** The contender under test, started once per fork. */
    @State(Scope.Benchmark)
    public static class Bench {
        @Param({Contender.OURS, Contender.RAW_NO_LOCK, Contender.AXON})
        public String contender;

        HikariDataSource pool;
        Contender impl;

        @Setup(Level.Trial)
        public void start() {
            pool = BenchDatabase.pool(BenchDatabase.url(), BenchDatabase.CONCURRENT_POOL_SIZE);
            impl = Contender.create(contender, pool);
        }

        @TearDown(Level.Trial)
        public void stop() {
            impl.close();
            pool.close();
        }
    }

    /** Fresh aggregate ids, unique across threads and forks that share the database. */
    @State(Scope.Thread)
    public static class NewIds {
        private final String prefix = UUID.randomUUID() + "-";
        private long next;

        String next() {
            return prefix + next++;
        }
    }

    /** One command creating an aggregate with one event, on each writer thread. */
    @Benchmark
    public void appendNew(Bench bench, NewIds ids) {
        bench.impl.open(ids.next(), 0);
    }
}
