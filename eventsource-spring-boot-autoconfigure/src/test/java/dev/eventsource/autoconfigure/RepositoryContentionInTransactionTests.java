package dev.eventsource.autoconfigure;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.Event;
import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.RepositoryMetrics;
import dev.eventsource.StaleReadConflictException;
import dev.eventsource.Store;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.store.jdbc.JdbcDialect;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Commands applied inside a caller's Spring transaction ({@code @Transactional}'s machinery: a
 * {@link DataSourceTransactionManager}, the store on a {@link TransactionAwareDataSourceProxy}, as the
 * auto-configuration sets it up), with each database's default isolation level (READ COMMITTED on PostgreSQL and
 * H2, REPEATABLE READ on MariaDB), through a repository with the default retry settings: under contention on one
 * aggregate no command fails, because a retry sees the latest committed events. MariaDB runs when
 * {@value #MARIADB_URL_VARIABLE} is set, and fails when it is set and the server does not answer.
 */
class RepositoryContentionInTransactionTests {

    static final String MARIADB_URL_VARIABLE = "EVENTSOURCE_TEST_MARIADB_URL";

    static final int COMMANDS_PER_THREAD = 100;

    private static final AtomicInteger TABLES = new AtomicInteger();

    private static DataSource postgresPool;

    private static DataSource mariaDbPool;

    private static DataSource h2Pool;

    abstract static class InTransaction {

        DataSource dataSource;

        String table;

        JdbcStore store;

        TransactionTemplate transactions;

        final AtomicInteger conflicts = new AtomicInteger();

        abstract DataSource database();

        @BeforeEach
        void createStore() {
            this.dataSource = database();
            this.table = "contention_tx_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
            this.store = JdbcStore.builder(new TransactionAwareDataSourceProxy(this.dataSource))
                .tableName(this.table)
                .build();
            this.store.createSchema();
            this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
        }

        @AfterEach
        void dropTables() {
            if (this.table != null) {
                JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
                for (String suffix : List.of("", "_lock", "_checkpoints", "_snapshots")) {
                    jdbc.execute("DROP TABLE IF EXISTS " + this.table + suffix);
                }
            }
        }

        Repository<Counter> repository() {
            return Repository.builder(Counter.class).store(this.store).metrics(new RepositoryMetrics() {
                @Override
                public void conflict(Class<?> aggregateType) {
                    InTransaction.this.conflicts.incrementAndGet();
                }
            }).build();
        }

        @ParameterizedTest(name = "{0} threads x 100 commands on one aggregate, each in a transaction")
        @ValueSource(ints = { 16, 8 })
        void everyCommandSucceedsInsideTheCallersTransaction(int threads) throws Exception {
            Repository<Counter> counters = repository();
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
                            Increment command = new Increment("hot", writer, n);
                            try {
                                this.transactions.executeWithoutResult((status) -> counters.apply(command));
                            }
                            catch (ConcurrencyConflictException ex) {
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
            }
            finally {
                pool.shutdownNow();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            System.out.printf("contention transactional %s %dx%d: %d failed, %d ms, %d conflicts, retry %s%n",
                    this.store, threads, COMMANDS_PER_THREAD, failed.get(), millis, this.conflicts.get(),
                    counters.retry());
            assertThat(failed.get()).as("commands failed with a conflict").isZero();
            long commands = (long) threads * COMMANDS_PER_THREAD;
            assertThat(this.store.load("hot")).extracting(Record::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, commands).boxed().toList());
            assertThat(counters.load("hot").count).isEqualTo((long) threads * COMMANDS_PER_THREAD);
        }

        @Test
        void racingCreatesWithoutALoadInsideTransactionsStoreOneAndRefuseTheOther() throws Exception {
            Repository<Ledger> ledgers = Repository.builder(Ledger.class).store(this.store).build();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < 30; i++) {
                    String id = "ledger-" + i;
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<String>> racers = new ArrayList<>();
                    for (String owner : List.of("ann", "bob")) {
                        racers.add(pool.submit(() -> {
                            start.await();
                            try {
                                this.transactions.executeWithoutResult(
                                        (status) -> ledgers.apply(new OpenLedger(id, owner)));
                                return "opened";
                            }
                            catch (IllegalStateException refused) {
                                return refused.getMessage();
                            }
                        }));
                    }
                    start.countDown();
                    List<String> outcomes = new ArrayList<>();
                    for (Future<String> racer : racers) {
                        outcomes.add(racer.get(1, TimeUnit.MINUTES));
                    }
                    assertThat(outcomes).as(id).containsExactlyInAnyOrder("opened", "ledger " + id + " exists");
                    assertThat(this.store.load(id)).as(id).hasSize(1);
                }
            }
            finally {
                pool.shutdownNow();
            }
        }

        @Test
        void aCreateWithoutALoadRolledBackWithItsTransactionLeavesNothing() {
            Repository<Ledger> ledgers = Repository.builder(Ledger.class).store(this.store).build();
            this.transactions.executeWithoutResult((status) -> {
                ledgers.apply(new OpenLedger("l-1", "ann"));
                status.setRollbackOnly();
            });
            assertThat(this.store.readAll(0, 10)).isEmpty();
            assertThat(ledgers.apply(new OpenLedger("l-1", "bob"))).isEqualTo(1);
        }

        @Test
        void aRetryInsideTheTransactionSeesTheEventsCommittedSinceItsFirstRead() {
            Repository<Counter> counters = competedRepository();
            counters.apply(new Increment("c-1", 0, 0));

            this.transactions.executeWithoutResult((status) -> {
                // The first try loads version 1 (at REPEATABLE READ, MariaDB, this read fixes the transaction's
                // snapshot); before it appends, another transaction appends version 2 and commits.
                assertThat(counters.apply(new Increment("c-1", 0, 1))).isEqualTo(3);
            });

            assertThat(this.conflicts).as("conflicts retried").hasValue(1);
            assertThat(this.store.load("c-1")).extracting(Record::version).containsExactly(1L, 2L, 3L);
        }

        /**
         * A repository whose store lets another transaction append an event to the same aggregate, and commit,
         * just before its second append (the first one that happens in a caller's transaction in these tests).
         */
        Repository<Counter> competedRepository() {
            AtomicInteger saves = new AtomicInteger();
            TransactionTemplate separate = new TransactionTemplate(this.transactions.getTransactionManager());
            separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            Repository<Counter> competitor = Repository.builder(Counter.class).store(this.store).build();
            Store competed = new Store() {
                @Override
                public boolean save(String aggregateId, List<Record> records) {
                    if (saves.incrementAndGet() == 2) {
                        separate.executeWithoutResult((other) -> competitor.apply(new Increment(aggregateId, 1, 0)));
                    }
                    return RepositoryContentionInTransactionTests.InTransaction.this.store.save(aggregateId, records);
                }

                @Override
                public History load(String aggregateId, long fromVersion, long toVersion) {
                    return RepositoryContentionInTransactionTests.InTransaction.this.store.load(aggregateId,
                            fromVersion, toVersion);
                }

                @Override
                public History loadLatest(String aggregateId, long fromVersion, long toVersion) {
                    return RepositoryContentionInTransactionTests.InTransaction.this.store.loadLatest(aggregateId,
                            fromVersion, toVersion);
                }

                @Override
                public List<Record> readAll(long afterPosition, int limit) {
                    return RepositoryContentionInTransactionTests.InTransaction.this.store.readAll(afterPosition,
                            limit);
                }
            };
            return Repository.builder(Counter.class).store(competed).metrics(new RepositoryMetrics() {
                @Override
                public void conflict(Class<?> aggregateType) {
                    InTransaction.this.conflicts.incrementAndGet();
                }
            }).build();
        }
    }

    @Nested
    class OnPostgres extends InTransaction {

        @Override
        DataSource database() {
            return postgres();
        }

        @Test
        void atRepeatableReadAConflictIsThrownOnceAsAStaleReadWithoutRetrying() {
            Repository<Counter> counters = competedRepository();
            counters.apply(new Increment("c-1", 0, 0));
            this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);

            assertThatExceptionOfType(StaleReadConflictException.class)
                .isThrownBy(() -> this.transactions
                    .executeWithoutResult((status) -> counters.apply(new Increment("c-1", 0, 1))))
                .withMessageContaining("'c-1'")
                .withMessageContaining("no retry in this transaction can resolve")
                .withMessageContaining("REPEATABLE READ")
                .withMessageContaining("READ COMMITTED")
                .satisfies((conflict) -> assertThat(conflict.expectedVersion()).isEqualTo(1));

            assertThat(this.conflicts).as("conflicts, none retried").hasValue(1);
            assertThat(this.store.load("c-1")).extracting(Record::version).containsExactly(1L, 2L);
        }
    }

    @Nested
    class OnMariaDb extends InTransaction {

        @Override
        DataSource database() {
            return mariaDb();
        }
    }

    @Nested
    class OnH2 extends InTransaction {

        @Override
        DataSource database() {
            return h2();
        }

        @Test
        void atRepeatableReadAConflictIsThrownOnceAsAStaleReadWithoutRetrying() {
            Repository<Counter> counters = competedRepository();
            counters.apply(new Increment("c-1", 0, 0));
            this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);

            assertThatExceptionOfType(StaleReadConflictException.class)
                .isThrownBy(() -> this.transactions
                    .executeWithoutResult((status) -> counters.apply(new Increment("c-1", 0, 1))))
                .withMessageContaining("no retry in this transaction can resolve")
                .withMessageContaining("READ COMMITTED");

            assertThat(this.conflicts).as("conflicts, none retried").hasValue(1);
            assertThat(this.store.load("c-1")).extracting(Record::version).containsExactly(1L, 2L);
        }
    }

    // ---- databases, one of each per test JVM ----------------------------------------------------------------------

    static synchronized DataSource postgres() {
        if (postgresPool == null) {
            postgresPool = pool(EmbeddedPostgresServer.shared().createDatabase("contention").jdbcUrl(),
                    EmbeddedPostgresServer.USER);
        }
        return postgresPool;
    }

    /** @return MariaDB; skips when {@value #MARIADB_URL_VARIABLE} is unset, fails when the server does not answer */
    static synchronized DataSource mariaDb() {
        String url = System.getenv(MARIADB_URL_VARIABLE);
        Assumptions.assumeTrue(url != null && !url.isBlank(), () -> "MariaDB tests skipped: set "
                + MARIADB_URL_VARIABLE + " to a JDBC URL, for example jdbc:mariadb://127.0.0.1:3306/test?user=root,"
                + " to run them");
        if (mariaDbPool == null) {
            HikariDataSource pool = pool(url, null);
            try (Connection connection = pool.getConnection()) {
                connection.isValid(5);
            }
            catch (SQLException ex) {
                pool.close();
                throw new IllegalStateException(MARIADB_URL_VARIABLE + " is set but MariaDB does not answer at "
                        + url.replaceAll("password=[^&]*", "password=***") + ": " + ex.getMessage(), ex);
            }
            mariaDbPool = pool;
        }
        return mariaDbPool;
    }

    static synchronized DataSource h2() {
        if (h2Pool == null) {
            h2Pool = pool("jdbc:h2:mem:contention;DB_CLOSE_DELAY=-1", "sa");
        }
        return h2Pool;
    }

    private static HikariDataSource pool(String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        // One connection per writing thread, so that all of them really contend.
        config.setMaximumPoolSize(18);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("contention-" + url.substring(5, url.indexOf(':', 5)));
        return new HikariDataSource(config);
    }

    // ---- the aggregate --------------------------------------------------------------------------------------------

    record Increment(String aggregateId, int writer, int n) implements Command {
    }

    record OpenLedger(String aggregateId, String owner) implements Command {
    }

    record LedgerOpened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    static final class Ledger extends AggregateRoot {

        @CommandHandler(creates = true)
        Event handle(OpenLedger command) {
            if (version() > 0) {
                throw new IllegalStateException("ledger " + command.aggregateId() + " exists");
            }
            return new LedgerOpened(command.aggregateId(), nextVersion(), Instant.now(), command.owner());
        }

        @EventHandler
        void on(LedgerOpened event) {
        }
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
            this.count++;
        }
    }
}
