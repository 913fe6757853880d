package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Backoff;
import dev.eventsource.Command;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.RepositoryMetrics;
import dev.eventsource.Store;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads applying commands to one aggregate through a repository with the default retry settings, on every
 * store, each command in its own transaction (autocommit): no command may fail with a conflict, and every one is
 * stored once. Each run prints a line with its figures ({@code contention plain ...}).
 *
 * <p>To measure other settings, pass {@code -Deventsource.test.retry=first,max,jitter,maxRetries[,budget]} (for
 * example {@code 1ms,50ms,1.0,10}); the assertions then still apply.
 */
class RepositoryContentionTests {

    static final int COMMANDS_PER_THREAD = 100;

    abstract static class ContentionTests {

        abstract Store store();

        @ParameterizedTest(name = "{0} threads x 100 commands on one aggregate")
        @ValueSource(ints = { 16, 8 })
        void everyCommandSucceedsWithTheDefaultRetries(int threads) throws Exception {
            Store store = store();
            AtomicInteger conflicts = new AtomicInteger();
            Repository<Counter> counters = configured(Repository.builder(Counter.class).store(store)
                    .serializer(JacksonSerializer.json()).metrics(new RepositoryMetrics() {
                        @Override
                        public void conflict(Class<?> aggregateType) {
                            conflicts.incrementAndGet();
                        }
                    })).build();

            Result result = run(threads, command -> counters.apply(command));

            System.out.printf("contention plain %s %dx%d: %d failed, %d ms, %d conflicts, retry %s%n", store,
                    threads, COMMANDS_PER_THREAD, result.failed(), result.millis(), conflicts.get(), counters.retry());
            assertThat(result.failed()).as("commands failed with a conflict").isZero();
            assertThat(store.load("hot")).extracting(Record::version).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, (long) threads * COMMANDS_PER_THREAD).boxed().toList());
            assertThat(counters.load("hot").count).isEqualTo((long) threads * COMMANDS_PER_THREAD);
        }
    }

    @Nested
    class OnMemory extends ContentionTests {
        @Override
        Store store() {
            return new MemoryStore();
        }
    }

    abstract static class OnJdbc extends ContentionTests {
        private final JdbcDialect dialect;
        private TestDatabases.Database database;
        private String table;

        OnJdbc(JdbcDialect dialect) {
            this.dialect = dialect;
        }

        @Override
        Store store() {
            database = TestDatabases.get(dialect);
            table = TestDatabases.uniqueTable("contention");
            JdbcStore store = JdbcStore.builder(database.pooled()).tableName(table).build();
            store.createSchema();
            return store;
        }

        @AfterEach
        void dropTable() {
            if (table != null) {
                TestDatabases.drop(database.pooled(), table);
            }
        }
    }

    @Nested
    class OnPostgres extends OnJdbc {
        OnPostgres() {
            super(JdbcDialect.POSTGRESQL);
        }
    }

    @Nested
    class OnMariaDb extends OnJdbc {
        OnMariaDb() {
            super(JdbcDialect.MYSQL);
        }
    }

    @Nested
    class OnH2 extends OnJdbc {
        OnH2() {
            super(JdbcDialect.H2);
        }
    }

    // ---- the run --------------------------------------------------------------------------------------------------

    interface Apply {
        void apply(Increment command);
    }

    record Result(int failed, long millis) {
    }

    /** Runs the threads, each applying its commands one after the other; counts the commands that conflicted. */
    static Result run(int threads, Apply apply) throws Exception {
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        long started;
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int writer = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; n < COMMANDS_PER_THREAD; n++) {
                        try {
                            apply.apply(new Increment("hot", writer, n));
                        } catch (ConcurrencyConflictException e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            started = System.nanoTime();
            start.countDown();
            for (Future<?> future : futures) {
                future.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(failed.get(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Applies the retry settings of {@code -Deventsource.test.retry}, if given. */
    static <A extends dev.eventsource.Aggregate> Repository.Builder<A> configured(Repository.Builder<A> builder) {
        String setting = System.getProperty("eventsource.test.retry");
        if (setting == null || setting.isBlank()) {
            return builder;
        }
        String[] parts = setting.split(",");
        Backoff backoff = Backoff.exponential(duration(parts[0]), duration(parts[1]))
                .withJitter(Double.parseDouble(parts[2]))
                .withMaxAttempts(Integer.parseInt(parts[3]) + 1)
                .withTimeBudget(parts.length > 4 ? duration(parts[4]) : null);
        return builder.retry(backoff);
    }

    private static Duration duration(String text) {
        String value = text.trim();
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("us")) {
            return Duration.ofNanos(1000 * Long.parseLong(value.substring(0, value.length() - 2)));
        }
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
    }

    // ---- the aggregate --------------------------------------------------------------------------------------------

    record Increment(String aggregateId, int writer, int n) implements Command {
    }

    record Incremented(String aggregateId, long version, Instant at, int writer, int n) implements Event {
    }

    static final class Counter extends AggregateRoot {
        long count;

        @CommandHandler
        List<Event> handle(Increment command) {
            return List.of(new Incremented(command.aggregateId(), nextVersion(), Instant.now(), command.writer(),
                    command.n()));
        }

        @EventHandler
        void on(Incremented event) {
            count++;
        }
    }
}
