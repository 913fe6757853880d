package dev.eventsource.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real databases the JDBC store is tested on, one of each per test JVM, started lazily: the
 * {@code postgres} database of the {@linkplain EmbeddedPostgresServer#shared() shared embedded PostgreSQL server},
 * the machine's MariaDB (only when {@value #MARIADB_URL_VARIABLE} is set), and in-memory H2.
 */
final class TestDatabases {

    static final String MARIADB_URL_VARIABLE = "EVENTSOURCE_TEST_MARIADB_URL";

    private static final AtomicInteger TABLES = new AtomicInteger();

    private static DataSource postgresPool;
    private static DataSource mariaDbPool;
    private static DataSource h2Pool;
    private static Server h2Server;

    private TestDatabases() {
    }

    /** A test database: a pooled DataSource, and one that opens a fresh physical connection each time. */
    record Database(JdbcDialect dialect, DataSource pooled, DataSource unpooled) {
    }

    static Database get(JdbcDialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> new Database(dialect, postgres(), postgresUnpooled());
            case MYSQL -> new Database(dialect, mariaDb(), mariaDbUnpooled());
            case H2 -> new Database(dialect, h2(), h2Unpooled());
        };
    }

    /** @return a table name no other test in this JVM run uses, so tests never see each other's events */
    static String uniqueTable(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
    }

    static synchronized DataSource postgres() {
        if (postgresPool == null) {
            postgresPool = pool(EmbeddedPostgresServer.shared().jdbcUrl(), EmbeddedPostgresServer.USER);
        }
        return postgresPool;
    }

    private static DataSource postgresUnpooled() {
        return EmbeddedPostgresServer.shared().postgresDatabase();
    }

    /**
     * @return MariaDB from {@value #MARIADB_URL_VARIABLE}; skips the test when the variable is unset, fails it
     *     when the server does not answer
     */
    static synchronized DataSource mariaDb() {
        String url = System.getenv(MARIADB_URL_VARIABLE);
        Assumptions.assumeTrue(url != null && !url.isBlank(), () -> "MariaDB tests skipped: set "
                + MARIADB_URL_VARIABLE + " to a JDBC URL, for example "
                + "jdbc:mariadb://127.0.0.1:3306/test?user=root, to run them");
        if (mariaDbPool == null) {
            try (Connection connection = mariaDbUnpooled().getConnection()) {
                connection.isValid(5);
            } catch (SQLException e) {
                throw new IllegalStateException(MARIADB_URL_VARIABLE + " is set but MariaDB does not answer at "
                        + url.replaceAll("password=[^&]*", "password=***") + ": " + e.getMessage(), e);
            }
            mariaDbPool = pool(url, null);
        }
        return mariaDbPool;
    }

    private static DataSource mariaDbUnpooled() {
        try {
            return new MariaDbDataSource(System.getenv(MARIADB_URL_VARIABLE));
        } catch (SQLException e) {
            throw new IllegalStateException("Invalid " + MARIADB_URL_VARIABLE + ": " + e.getMessage(), e);
        }
    }

    static synchronized DataSource h2() {
        if (h2Pool == null) {
            h2Pool = pool(h2Url(), "sa");
        }
        return h2Pool;
    }

    private static DataSource h2Unpooled() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(h2Url());
        dataSource.setUser("sa");
        return dataSource;
    }

    /**
     * H2 gives up waiting for a lock after 2 s by default; tests hold the append lock in an open transaction for
     * about that long on purpose (and a loaded machine stretches it), so they wait as long as the other databases.
     */
    static String h2Url() {
        return "jdbc:h2:mem:eventsource;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000";
    }

    private static DataSource pool(String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        config.setMaximumPoolSize(12);
        config.setPoolName("test-" + url.substring(5, url.indexOf(':', 5)));
        return new HikariDataSource(config);
    }

    /**
     * Returns a JDBC URL, with the user, by which another process reaches the same database as {@link #get}: the
     * embedded PostgreSQL server's port, the MariaDB server, or for H2 a TCP server started in this JVM.
     */
    static synchronized String urlForOtherProcesses(JdbcDialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> EmbeddedPostgresServer.shared().jdbcUrl();
            case MYSQL -> {
                mariaDb();
                yield System.getenv(MARIADB_URL_VARIABLE);
            }
            case H2 -> {
                h2();
                if (h2Server == null) {
                    try {
                        h2Server = Server.createTcpServer("-tcpPort", "0", "-tcpDaemon").start();
                    } catch (SQLException e) {
                        throw new IllegalStateException("Cannot start an H2 TCP server for the tests", e);
                    }
                }
                yield "jdbc:h2:tcp://localhost:" + h2Server.getPort() + "/" + h2Url().substring("jdbc:h2:".length())
                        + ";USER=sa";
            }
        };
    }

    /** Empties a store's table between tests (the contract kit wants an empty store). */
    static void truncate(DataSource dataSource, JdbcDialect dialect, String table) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(dialect == JdbcDialect.MYSQL ? "TRUNCATE TABLE " + table : "DELETE FROM " + table);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot empty " + table + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the columns of an index from the database's metadata.
     *
     * @param table an unqualified table name, in any case
     * @param suffix the index's name after the table name and an underscore
     * @return the index's columns in order, in lower case; empty when there is no such index
     */
    static List<String> indexColumns(DataSource dataSource, JdbcDialect dialect, String table, String suffix)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // Unquoted names are kept in upper case by H2, in lower case by PostgreSQL, as written by MariaDB.
            String name = switch (dialect) {
                case H2 -> table.toUpperCase(Locale.ROOT);
                case POSTGRESQL -> table.toLowerCase(Locale.ROOT);
                case MYSQL -> table;
            };
            Map<Short, String> columns = new TreeMap<>();
            try (ResultSet rows = connection.getMetaData().getIndexInfo(connection.getCatalog(), null, name, false,
                    false)) {
                while (rows.next()) {
                    String index = rows.getString("INDEX_NAME");
                    if (index != null && index.equalsIgnoreCase(table + "_" + suffix)) {
                        columns.put(rows.getShort("ORDINAL_POSITION"),
                                rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            return List.copyOf(columns.values());
        }
    }

    /** Drops a test's tables, so a persistent server (MariaDB) does not collect them. */
    static void drop(DataSource dataSource, String table) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table);
            statement.execute("DROP TABLE IF EXISTS " + table + "_lock");
            statement.execute("DROP TABLE IF EXISTS " + table + "_checkpoints");
            statement.execute("DROP TABLE IF EXISTS " + table + "_snapshots");
            statement.execute("DROP TABLE IF EXISTS " + table + "_dead_letters");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop " + table + ": " + e.getMessage(), e);
        }
    }
}
