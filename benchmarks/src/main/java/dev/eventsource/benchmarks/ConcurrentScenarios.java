package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Repository;
import dev.eventsource.StoredEvent;
import dev.eventsource.benchmarks.contender.Contender;
import dev.eventsource.benchmarks.model.Account;
import dev.eventsource.benchmarks.model.OpenAccount;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.StartFrom;
import dev.eventsource.subscription.Subscription;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The two scenarios of issue 11 that are not a throughput figure, so not JMH benchmarks: a small harness the
 * runner calls in its own JVM, on the same server and with the same pool settings as the concurrent append
 * benchmarks.
 *
 * <ul>
 *   <li><b>Slow writer</b>: {@value #WRITERS} writer threads open accounts (one event on a new aggregate each) for
 *   {@value #WINDOW_SECONDS} s undisturbed (the baseline), then again while a fifth writer holds an appending
 *   transaction open for {@value #WINDOW_SECONDS} s (it opens an account on a connection with autocommit off,
 *   sleeps, then commits). Reported: the others' appends completed while that transaction was open, per second,
 *   as a share of the baseline.</li>
 *   <li><b>Subscription lag</b>: {@value #WRITERS} writers open accounts at a steady total rate while a
 *   {@link Subscription} on the same store records, per event, the time from the event's {@code at()} (set by the
 *   command handler just before the append) to its handling. Reported: p50, p99 and the maximum.</li>
 * </ul>
 */
final class ConcurrentScenarios {

    static final int WRITERS = 4;
    static final int WINDOW_SECONDS = 3;

    private ConcurrentScenarios() {
    }

    /**
     * The others' throughput undisturbed (before the slow writer's transaction and after its commit) and while
     * it was open.
     */
    record SlowWriter(String contender, double beforePerSecond, double duringPerSecond, double afterPerSecond) {
        double baselinePerSecond() {
            return (beforePerSecond + afterPerSecond) / 2;
        }

        double kept() {
            return duringPerSecond / baselinePerSecond();
        }
    }

    /** The time from an event's creation to its handling by a subscription, under a steady append rate. */
    record Lag(String configuration, double appendedPerSecond, int events, double p50Millis, double p99Millis,
               double maxMillis) {
    }

    // ---- slow writer ------------------------------------------------------------------------------------------

    static SlowWriter slowWriter(String url, String contender) throws Exception {
        try (HikariDataSource pool = BenchDatabase.pool(url, BenchDatabase.CONCURRENT_POOL_SIZE);
             Contender impl = Contender.create(contender, pool)) {
            String run = UUID.randomUUID().toString();
            long window = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
            // One set of writers runs throughout: warm-up (class loading, JIT, the pool's connections), an
            // undisturbed window, the window of the open transaction, a short settling time after its commit, and
            // a second undisturbed window. The baseline is the mean of the two undisturbed windows, so a drift of
            // the machine's load during the run shows in neither direction.
            Writers writers = Writers.start(impl, run);
            try (Connection slow = pool.getConnection()) {
                // 5 s: on a loaded 2-core machine the JIT needs that long; with 2 s the first window was
                // systematically slower than the last.
                Thread.sleep(5000);
                double before = writers.rateOver(window);
                slow.setAutoCommit(false);
                double during;
                try {
                    impl.openInTransaction(slow, run + "-slow");
                    during = writers.rateOver(window);
                    slow.commit();
                } finally {
                    slow.setAutoCommit(true);
                }
                Thread.sleep(500);
                double after = writers.rateOver(window);
                return new SlowWriter(contender, before, during, after);
            } finally {
                writers.stop();
            }
        }
    }

    /** {@value #WRITERS} threads opening accounts as fast as they can until stopped. */
    private record Writers(ExecutorService threads, List<Future<?>> results, AtomicLong count, AtomicBoolean running) {

        static Writers start(Contender impl, String prefix) {
            ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
            AtomicLong count = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Future<?>> results = new ArrayList<>();
            for (int writer = 0; writer < WRITERS; writer++) {
                String ids = prefix + "-" + writer + "-";
                results.add(threads.submit(() -> {
                    for (long n = 0; running.get(); n++) {
                        impl.open(ids + n, 0);
                        count.incrementAndGet();
                    }
                    return null;
                }));
            }
            return new Writers(threads, results, count, running);
        }

        /** Waits {@code nanos}; @return the appends completed meanwhile, per second. */
        double rateOver(long nanos) {
            long fromCount = count.get();
            long from = System.nanoTime();
            LockSupport.parkNanos(nanos);
            long toCount = count.get();
            return (toCount - fromCount) / seconds(System.nanoTime() - from);
        }

        void stop() throws Exception {
            running.set(false);
            try {
                for (Future<?> result : results) {
                    result.get(1, TimeUnit.MINUTES);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    // ---- subscription lag -------------------------------------------------------------------------------------

    /**
     * Measures the lag of a subscription on this library's store while {@value #WRITERS} writers append
     * {@code ratePerSecond} events per second in total.
     *
     * @param pollInterval the subscription's poll interval
     * @param listen whether appends wake the subscription when the store announces them
     *     ({@link JdbcStore#listenForAppends}, as the starter sets it up)
     */
    static Lag subscriptionLag(String url, int ratePerSecond, Duration measured, Duration pollInterval,
                               boolean listen) throws Exception {
        try (HikariDataSource pool = BenchDatabase.pool(url, BenchDatabase.CONCURRENT_POOL_SIZE)) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            JdbcStore store = JdbcStore.builder(pool).tableName("lag_events_" + run.replace('-', '_')).build();
            store.createSchema();
            Repository<Account> accounts = Repository.builder(Account.class).store(store)
                    .serializer(JacksonSerializer.json()).build();
            Queue<Long> lags = new ConcurrentLinkedQueue<>();
            AtomicLong seen = new AtomicLong();
            AtomicReference<Instant> measureFrom = new AtomicReference<>(Instant.MAX);
            Subscription subscription = Subscription.builder("lag-" + run, store, accounts.serializer(),
                    (StoredEvent event) -> {
                        Instant now = Instant.now();
                        seen.incrementAndGet();
                        if (!event.event().at().isBefore(measureFrom.get())) {
                            lags.add(Duration.between(event.event().at(), now).toNanos());
                        }
                    })
                    .checkpoints(store.checkpointStore())
                    .startFrom(StartFrom.END)
                    .pollInterval(pollInterval)
                    .build();
            listen = listen && store.notifiesAppends();
            AutoCloseable listening = listen ? store.listenForAppends(subscription::wake) : () -> { };
            subscription.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (subscription.state() != Subscription.State.ACTIVE) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("The lag subscription did not become active in 30 s: "
                                + subscription.state() + ", " + subscription.failure());
                    }
                    Thread.sleep(10);
                }
                // One second of warm-up, then the measured window; only events created in it are counted.
                long warmUp = TimeUnit.SECONDS.toNanos(1);
                long total = warmUp + measured.toNanos();
                long appended = paced(ratePerSecond, total, id -> accounts.apply(
                        new OpenAccount(run + "-" + id, "owner", 0)), () -> measureFrom.set(Instant.now()), warmUp);
                long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (seen.get() < appended && System.nanoTime() < drainDeadline) {
                    Thread.sleep(10);
                }
                if (seen.get() < appended) {
                    throw new IllegalStateException("The lag subscription saw " + seen.get() + " of " + appended
                            + " events within 30 s of the last append: " + subscription.state());
                }
                long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
                String configuration = "poll " + pollInterval.toMillis() + " ms"
                        + (listen ? " + listenForAppends (the starter's set-up)" : ", no listener");
                return new Lag(configuration, sorted.length / seconds(measured.toNanos()), sorted.length,
                        percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
            } finally {
                subscription.stop(Duration.ofSeconds(10));
                listening.close();
            }
        }
    }

    private interface Append {
        void run(long id) throws Exception;
    }

    /**
     * Appends at a steady rate from {@value #WRITERS} threads for {@code totalNanos}; each thread keeps its own
     * schedule. A writer that falls behind restarts its schedule from now and never makes up for the appends it
     * missed, so the rate is at most the one asked for.
     *
     * @return the appends made
     */
    private static long paced(int ratePerSecond, long totalNanos, Append append, Runnable atMeasureStart,
                              long warmUpNanos) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) * WRITERS / ratePerSecond;
        long start = System.nanoTime();
        long end = start + totalNanos;
        AtomicLong count = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int writer = 0; writer < WRITERS; writer++) {
                int w = writer;
                results.add(threads.submit(() -> {
                    // Spread the writers over the interval.
                    long next = start + interval * w / WRITERS;
                    for (long n = 0; ; n++) {
                        long now = System.nanoTime();
                        if (next > now) {
                            LockSupport.parkNanos(next - now);
                        }
                        if (System.nanoTime() >= end) {
                            return null;
                        }
                        append.run((long) w << 40 | n);
                        count.incrementAndGet();
                        next = Math.max(next + interval, System.nanoTime());
                    }
                }));
            }
            LockSupport.parkNanos(warmUpNanos);
            atMeasureStart.run();
            for (Future<?> result : results) {
                result.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        return count.get();
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

}
