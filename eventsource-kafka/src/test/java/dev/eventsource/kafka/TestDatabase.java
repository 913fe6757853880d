package dev.eventsource.kafka;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.h2.tools.Server;
import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/** A database for a test: its events table on H2, embedded PostgreSQL or MariaDB, and a transaction template. */
final class TestDatabase implements AutoCloseable {

    static final String MARIADB_URL_VARIABLE = "EVENTSOURCE_TEST_MARIADB_URL";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static Server h2Server;

    enum Kind { H2, POSTGRESQL, MARIADB }

    final Kind kind;
    final String url;
    final String table;
    final HikariDataSource pool;
    final JdbcStore store;
    final JdbcCheckpointStore checkpoints;
    final TransactionTemplate transactions;

    private TestDatabase(Kind kind, String url, String table) {
        this.kind = kind;
        this.url = url;
        this.table = table;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(10);
        this.pool = new HikariDataSource(config);
        this.store = JdbcStore.builder(new TransactionAwareDataSourceProxy(pool)).tableName(table).build();
        this.store.createSchema();
        this.checkpoints = JdbcCheckpointStore.of(store);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
    }

    static TestDatabase create(Kind kind) {
        int n = NAMES.incrementAndGet();
        String table = "kafka_events_" + ProcessHandle.current().pid() + "_" + n;
        return switch (kind) {
            case H2 -> new TestDatabase(kind, "jdbc:h2:mem:kafka" + n + ";DB_CLOSE_DELAY=-1", table);
            case POSTGRESQL -> new TestDatabase(kind, EmbeddedPostgresServer.shared().createDatabase("kafka")
                    .jdbcUrl(), table);
            case MARIADB -> {
                String url = System.getenv(MARIADB_URL_VARIABLE);
                Assumptions.assumeTrue(url != null && !url.isBlank(), () -> "MariaDB tests skipped: set "
                        + MARIADB_URL_VARIABLE + " to a JDBC URL, for example "
                        + "jdbc:mariadb://127.0.0.1:3306/test?user=root, to run them");
                yield new TestDatabase(kind, url, table);
            }
        };
    }

    /**
     * Returns a JDBC URL, with the user, by which another process reaches this database: the embedded PostgreSQL
     * server's port, the MariaDB server, or for H2 (in memory, in this JVM) a TCP server started in this JVM.
     */
    String urlForOtherProcesses() {
        if (kind != Kind.H2) {
            return url;
        }
        return "jdbc:h2:tcp://localhost:" + h2Server().getPort() + "/" + url.substring("jdbc:h2:".length(),
                url.indexOf(';'));
    }

    private static synchronized Server h2Server() {
        if (h2Server == null) {
            try {
                h2Server = Server.createTcpServer("-tcpPort", "0", "-tcpDaemon").start();
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot start an H2 TCP server for the tests", e);
            }
        }
        return h2Server;
    }

    @Override
    public void close() {
        pool.close();
    }
}
