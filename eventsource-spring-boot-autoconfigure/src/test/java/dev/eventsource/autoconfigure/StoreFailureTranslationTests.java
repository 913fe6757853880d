package dev.eventsource.autoconfigure;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.web.Gate;
import dev.eventsource.autoconfigure.web.GateService;
import dev.eventsource.store.jdbc.JdbcStoreException;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.util.DisconnectedClientHelper;

import javax.sql.DataSource;
import java.io.EOFException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Store failures reach the callers of auto-configured repositories as Spring's {@link DataAccessException} of the
 * right kind, with the store's exception as the cause; the library's own exceptions pass unchanged.
 */
class StoreFailureTranslationTests {

    @org.junit.jupiter.api.Test
    void theTranslatingStoreDelegatesEveryMethodTheJdbcStoreImplementsItself() {
        for (java.lang.reflect.Method method : dev.eventsource.Store.class.getMethods()) {
            try {
                dev.eventsource.store.jdbc.JdbcStore.class.getDeclaredMethod(method.getName(),
                        method.getParameterTypes());
            }
            catch (NoSuchMethodException inherited) {
                continue; // the JDBC store uses the interface's default too
            }
            org.assertj.core.api.Assertions.assertThatCode(() -> DataAccessTranslatingStore.class
                    .getDeclaredMethod(method.getName(), method.getParameterTypes()))
                .as("DataAccessTranslatingStore delegates %s, which the JDBC store does in its own way", method)
                .doesNotThrowAnyException();
        }
    }

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class,
                DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                TransactionAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.web",
                "eventsource.jdbc.initialize-schema=always", "eventsource.repository.max-retries=0")
        .withBean(GateService.class);

    @AfterEach
    void removeHook() {
        Gate.HOOK.set(() -> { });
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnPostgreSql {

        private EmbeddedPostgresServer.Database postgres;

        @BeforeAll
        void createDatabase() {
            this.postgres = EmbeddedPostgresServer.shared().createDatabase("translation");
        }

        @Test
        void connectionTerminatedDuringAppendInTransactionIsTransientAndStoresNothing() {
            StoreFailureTranslationTests.this.contextRunner
                .withPropertyValues("spring.datasource.url=" + this.postgres.jdbcUrl())
                .run((context) -> {
                    GateService service = context.getBean(GateService.class);
                    JdbcTemplate app = new JdbcTemplate(context.getBean(DataSource.class));
                    JdbcTemplate admin = new JdbcTemplate(this.postgres.dataSource());
                    String id = UUID.randomUUID().toString();
                    // Inside the transaction, between load and append: end the transaction's own session.
                    Gate.HOOK.set(() -> {
                        Integer pid = app.queryForObject("SELECT pg_backend_pid()", Integer.class);
                        admin.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, pid);
                        waitUntilGone(admin, pid);
                    });
                    Throwable thrown = catchThrowable(() -> service.openInTransaction(id));
                    assertThat(service.thrown()).isInstanceOf(TransientDataAccessResourceException.class)
                        .hasCauseInstanceOf(JdbcStoreException.class)
                        .hasMessageContaining("Appending 1 event(s)")
                        .hasMessageContaining("SQLState");
                    assertThatRollbackKept(thrown, service.thrown());
                    assertThat(admin.queryForObject("SELECT COUNT(*) FROM eventsource_events WHERE aggregate_id = ?",
                            Integer.class, id)).isZero();
                });
        }

        @Test
        void conflictStaysConcurrencyConflictException() {
            StoreFailureTranslationTests.this.contextRunner
                .withPropertyValues("spring.datasource.url=" + this.postgres.jdbcUrl())
                .run((context) -> {
                    String id = UUID.randomUUID().toString();
                    Repository<Gate> gates = gates(context);
                    AtomicBoolean first = new AtomicBoolean(true);
                    // Another writer opens the gate between the command's load and its append.
                    Gate.HOOK.set(() -> {
                        if (first.getAndSet(false)) {
                            CompletableFuture.runAsync(() -> gates.apply(new Gate.Open(id))).join();
                        }
                    });
                    assertThatExceptionOfType(ConcurrencyConflictException.class)
                        .isThrownBy(() -> context.getBean(GateService.class).open(id));
                });
        }
    }

    @Nested
    class OnH2 {

        private final ApplicationContextRunner withH2 = StoreFailureTranslationTests.this.contextRunner
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

        @Test
        void missingTableIsInvalidResourceUsageAndNotFoundStaysNotFound() {
            this.withH2.run((context) -> {
                Repository<Gate> gates = gates(context);
                assertThatExceptionOfType(AggregateNotFoundException.class).isThrownBy(() -> gates.load("nobody"));
                new JdbcTemplate(context.getBean(DataSource.class)).execute("DROP TABLE eventsource_events");
                assertThatExceptionOfType(InvalidDataAccessResourceUsageException.class)
                    .isThrownBy(() -> gates.load("g-1"))
                    .withCauseInstanceOf(JdbcStoreException.class)
                    .withMessageContaining("SQLState 42S02");
            });
        }

        @Test
        void connectionPoolTimeoutIsTransient() {
            this.withH2.withPropertyValues("spring.datasource.hikari.maximum-pool-size=1",
                    "spring.datasource.hikari.connection-timeout=250").run((context) -> {
                        // Another user holds the pool's only connection.
                        try (Connection held = context.getBean(DataSource.class).getConnection()) {
                            assertThatExceptionOfType(TransientDataAccessResourceException.class)
                                .isThrownBy(() -> gates(context).load("g-1"))
                                .withCauseInstanceOf(JdbcStoreException.class)
                                .withMessageContaining("Connection is not available, request timed out");
                        }
                    });
        }

        @Test
        void databaseClosedDuringAppendInTransactionIsTransient() {
            this.withH2.withBean(DataSource.class, () -> new SingleConnectionDataSource(
                    "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", true)).run((context) -> {
                        GateService service = context.getBean(GateService.class);
                        DataSource dataSource = context.getBean(DataSource.class);
                        Gate.HOOK.set(() -> new JdbcTemplate(dataSource).execute("SHUTDOWN"));
                        Throwable thrown = catchThrowable(() -> service.openInTransaction("g-1"));
                        assertThat(service.thrown()).isInstanceOf(TransientDataAccessResourceException.class)
                            .hasCauseInstanceOf(JdbcStoreException.class);
                        assertThatRollbackKept(thrown, service.thrown());
                    });
        }
    }

    @Nested
    class Translation {

        @Test
        void lostConnectionWithEndOfFileIsNotTakenForAClientThatHungUp() {
            SQLException driver = new SQLException("An I/O error occurred while sending to the backend.", "08006", 0,
                    new EOFException());
            JdbcStoreException failure = new JdbcStoreException("Appending failed", driver);
            assertThat(DisconnectedClientHelper.isClientDisconnectedException(new IllegalStateException(failure)))
                .as("the untranslated failure looks like a client disconnect").isTrue();

            DataAccessException translated = StoreFailureTranslator.translate(failure);

            assertThat(translated).isInstanceOf(TransientDataAccessResourceException.class)
                .hasMessage("Appending failed [SQLState 08006, error code 0]")
                .hasCauseInstanceOf(JdbcStoreException.class);
            assertThat(DisconnectedClientHelper.isClientDisconnectedException(translated)).isFalse();
            assertThat(DisconnectedClientHelper.isClientDisconnectedException(new IllegalStateException(translated)))
                .isFalse();
            assertThat(translated).rootCause().isInstanceOf(JdbcStoreException.class).hasMessage("Appending failed");
            assertThat(translated.getCause().getSuppressed()).containsExactly(failure);
            assertThat(translated.getCause().getStackTrace()).isEqualTo(failure.getStackTrace());
        }

        @Test
        void keepsTheStoreExceptionItselfAsCauseWithoutIoError() {
            JdbcStoreException failure = new JdbcStoreException("Appending failed",
                    new SQLException("deadlock detected", "40P01"));
            assertThat(StoreFailureTranslator.translate(failure)).isInstanceOf(PessimisticLockingFailureException.class)
                .hasCause(failure);
        }

        @Test
        void translatesByStateCodeAndClass() {
            assertThat(translate(new SQLException("terminating connection due to administrator command", "57P01")))
                .isInstanceOf(TransientDataAccessResourceException.class);
            assertThat(translate(new SQLTransientConnectionException("HikariPool-1 - Connection is not available, "
                    + "request timed out after 30000ms.")))
                .isInstanceOf(TransientDataAccessResourceException.class);
            assertThat(translate(new SQLException("Communications link failure", "08S01", 0)))
                .isInstanceOf(TransientDataAccessResourceException.class);
            assertThat(translate(new SQLException("Lost connection to server during query", "HY000", 2013)))
                .isInstanceOf(TransientDataAccessResourceException.class);
            assertThat(translate(new SQLException("Database is already closed", "90121", 90121)))
                .isInstanceOf(TransientDataAccessResourceException.class);
            assertThat(translate(new SQLException("canceling statement due to statement timeout", "57014")))
                .isInstanceOf(QueryTimeoutException.class);
            assertThat(translate(new SQLException("Lock wait timeout exceeded", "HY000", 1205)))
                .isInstanceOf(CannotAcquireLockException.class);
            assertThat(translate(new SQLException("could not serialize access", "40001")))
                .isInstanceOf(PessimisticLockingFailureException.class);
            assertThat(translate(new SQLException("Deadlock found when trying to get lock", "40001", 1213)))
                .isInstanceOf(PessimisticLockingFailureException.class);
            assertThat(translate(new SQLException("value too long", "22001")))
                .isInstanceOf(UncategorizedStoreException.class);
            assertThat(translate(new SQLException("null value violates not-null constraint", "23502")))
                .isInstanceOf(DataIntegrityViolationException.class);
            assertThat(StoreFailureTranslator.translate(new JdbcStoreException("metadata is not a JSON object")))
                .isInstanceOf(UncategorizedStoreException.class).hasMessage("metadata is not a JSON object");
        }

        private DataAccessException translate(SQLException driver) {
            return StoreFailureTranslator.translate(new JdbcStoreException("failed", driver));
        }
    }

    @SuppressWarnings("unchecked")
    private static Repository<Gate> gates(ApplicationContext context) {
        return (Repository<Gate>) context.getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, Gate.class))
            .getObject();
    }

    /**
     * The caller of the transactional method gets the repository's exception, or, when rolling back on the dead
     * connection fails too, Spring's rollback failure: a DataAccessException of its own (H2), or a
     * TransactionSystemException that keeps the repository's exception as the application exception (PostgreSQL).
     */
    private static void assertThatRollbackKept(Throwable thrown, RuntimeException fromRepository) {
        if (thrown instanceof TransactionSystemException rollback) {
            assertThat(rollback.getApplicationException()).isSameAs(fromRepository);
        }
        else {
            assertThat(thrown).isInstanceOf(DataAccessException.class);
        }
    }

    private static void waitUntilGone(JdbcTemplate admin, Integer pid) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (admin.queryForObject("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?", Integer.class, pid) > 0
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
