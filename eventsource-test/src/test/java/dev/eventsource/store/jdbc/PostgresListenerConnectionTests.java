package dev.eventsource.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Serializer;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static dev.eventsource.store.jdbc.SubscriptionTestBase.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL LISTEN/NOTIFY listener and its connection: it gives the pooled connection back within its
 * connection lifetime, so a HikariCP pool with a short {@code maxLifetime} really retires it; it survives the
 * server ending its session; and through all of it a subscription that is only ever woken by the listener (its poll
 * interval is an hour) handles every event appended by another instance, once and in order.
 */
class PostgresListenerConnectionTests {

    private static final Duration NEVER_POLL = Duration.ofHours(1);
    private static final String APPLICATION_NAME = "eventsource-listener-test";

    private final Serializer serializer = JacksonSerializer.json().bind(SubscriptionTestBase.Happened.class);
    private final DataSource observer = EmbeddedPostgresServer.shared().postgresDatabase();
    /** The listener's own pool, whose sessions carry an application name, so they can be told apart. */
    private HikariDataSource pool;
    private String table;
    private JdbcStore store;
    private JdbcStore listened;
    private JdbcStore otherInstance;
    private Subscription subscription;
    private final List<String> handled = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createTableAndPool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(EmbeddedPostgresServer.shared().jdbcUrl());
        config.setUsername(EmbeddedPostgresServer.USER);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setPoolName("listener-test");
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        pool = new HikariDataSource(config);
        table = TestDatabases.uniqueTable("listen");
        store = JdbcStore.builder(TestDatabases.postgres()).tableName(table).build();
        listened = JdbcStore.builder(pool).tableName(table).build();
        store.createSchema();
        // Another application instance: its appends reach this one only through the database.
        otherInstance = JdbcStore.builder(TestDatabases.postgres()).tableName(table).build();
        subscription = Subscription.builder("listened", store, serializer,
                        e -> handled.add(e.event().aggregateId() + "@" + e.event().version()))
                .checkpoints(JdbcCheckpointStore.of(store)).pollInterval(NEVER_POLL).build();
    }

    @AfterEach
    void stopAndDrop() {
        subscription.stop(Duration.ofSeconds(10));
        TestDatabases.drop(TestDatabases.postgres(), table);
        pool.close();
    }

    @Test
    @DisplayName("with a pool maxLifetime of 2 s, the listener's backend is replaced again and again; no event missed")
    void listenerConnectionIsRetiredByThePoolsMaxLifetime() throws Exception {
        // Hikari refuses a maxLifetime under 30 s at start-up; set at run time it applies to every new connection.
        pool.getHikariConfigMXBean().setMaxLifetime(2000);
        pool.getHikariPoolMXBean().softEvictConnections();
        subscription.start();
        List<String> appended = new ArrayList<>();
        Map<Integer, Double> ageByBackend = new HashMap<>();
        double oldest = 0;
        try (AutoCloseable listening = listened.listenForAppends(subscription::wake, Duration.ofMillis(500))) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(7);
            int n = 0;
            while (System.nanoTime() < until) {
                String id = "event-" + n++;
                append(id);
                appended.add(id + "@1");
                for (int i = 0; i < 4; i++) {
                    for (Map.Entry<Integer, Double> backend : listenerBackends().entrySet()) {
                        ageByBackend.merge(backend.getKey(), backend.getValue(), Math::max);
                        oldest = Math.max(oldest, backend.getValue());
                    }
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
            awaitTrue("every append is handled", () -> handled.size() >= appended.size());
            assertThat(handled).as("each event once, in order, woken only by notifications")
                    .containsExactlyElementsOf(appended);
        }
        System.out.printf("listener backends seen: %s (pid -> oldest age in s)%n", ageByBackend);
        assertThat(ageByBackend).as("the pool retired the listener's physical connection several times")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(oldest).as("no listening backend older than maxLifetime + connection lifetime + a margin")
                .isLessThan(2.0 + 0.5 + 1.5);
        awaitTrue("closing the listener gives its connection back",
                () -> pool.getHikariPoolMXBean().getActiveConnections() == 0);
    }

    @Test
    @DisplayName("the listener holds a pooled connection no longer than its connection lifetime, then takes another")
    void listenerGivesItsConnectionBackEveryConnectionLifetime() throws Exception {
        CheckoutRecorder recorder = new CheckoutRecorder(pool);
        JdbcStore recorded = JdbcStore.builder(recorder).tableName(table).build();
        subscription.start();
        try (AutoCloseable listening = recorded.listenForAppends(subscription::wake, Duration.ofMillis(300))) {
            TimeUnit.MILLISECONDS.sleep(2000);
            append("late");
            awaitTrue("an append is handled", () -> handled.contains("late@1"));
        }
        List<Long> held = recorder.heldMillis();
        System.out.printf("listener checkouts held for (ms): %s%n", held);
        assertThat(held).as("a checkout per connection lifetime, each given back").hasSizeGreaterThanOrEqualTo(5);
        assertThat(held).as("none held much beyond 300 ms").allSatisfy(ms -> assertThat(ms).isLessThan(1000));
        assertThat(recorder.open()).as("nothing held after close").isZero();
    }

    @Test
    @DisplayName("after the server ends the listener's session 3 times, it reconnects and every event is handled")
    void listenerReconnectsAfterItsSessionIsTerminated() throws Exception {
        subscription.start();
        List<String> appended = new ArrayList<>();
        Set<Integer> backends = new LinkedHashSet<>();
        try (AutoCloseable listening = listened.listenForAppends(subscription::wake)) {
            for (int round = 0; round < 3; round++) {
                awaitTrue("the listener listens", () -> listenerBackends().size() == 1);
                int pid = listenerBackends().keySet().iterator().next();
                backends.add(pid);
                terminate(pid);
                // Appended while the listener is down or reconnecting: its catch-up wake-up must deliver it.
                append("during-" + round);
                appended.add("during-" + round + "@1");
                awaitTrue("the listener listens on a new session",
                        () -> !listenerBackends().isEmpty() && !listenerBackends().containsKey(pid));
                append("after-" + round);
                appended.add("after-" + round + "@1");
                int expected = appended.size();
                awaitTrue("the appends are handled", () -> handled.size() >= expected);
            }
        }
        assertThat(backends).as("a new session after each termination").hasSize(3);
        assertThat(handled).as("each event once, in order").containsExactlyElementsOf(appended);
    }

    private void append(String aggregateId) {
        otherInstance.save(aggregateId, serializer.marshal(
                new SubscriptionTestBase.Happened(aggregateId, 1, Instant.now(), 0, 0)).withAggregateType("Thing"));
    }

    /**
     * @return the listener pool's sessions that are listening (their last statement was LISTEN or the look for
     *     unnumbered events; not the UNLISTEN before a connection goes back), and their ages in seconds
     */
    private Map<Integer, Double> listenerBackends() {
        try (Connection connection = observer.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT pid, EXTRACT(EPOCH FROM clock_timestamp() - backend_start) FROM pg_stat_activity
                     WHERE application_name = ? AND (query LIKE 'LISTEN %' OR query LIKE 'SELECT EXISTS (SELECT 1 FROM %')""")) {
            select.setString(1, APPLICATION_NAME);
            Map<Integer, Double> backends = new HashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    backends.put(rows.getInt(1), rows.getDouble(2));
                }
            }
            return backends;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void terminate(int pid) throws SQLException {
        try (Connection connection = observer.getConnection();
             PreparedStatement kill = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            kill.setInt(1, pid);
            try (ResultSet rows = kill.executeQuery()) {
                assertThat(rows.next() && rows.getBoolean(1)).as("backend " + pid + " terminated").isTrue();
            }
        }
    }

    /** A DataSource in front of the pool that records how long each connection it hands out is held. */
    private static final class CheckoutRecorder implements DataSource {
        private final HikariDataSource pool;
        private final List<Long> heldMillis = new CopyOnWriteArrayList<>();
        private final AtomicInteger open = new AtomicInteger();

        CheckoutRecorder(HikariDataSource pool) {
            this.pool = pool;
        }

        List<Long> heldMillis() {
            return List.copyOf(heldMillis);
        }

        int open() {
            return open.get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = pool.getConnection();
            long taken = System.nanoTime();
            open.incrementAndGet();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close") && !connection.isClosed()) {
                            heldMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - taken));
                            open.decrementAndGet();
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return pool.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return pool.isWrapperFor(type);
        }
    }
}
