package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL server every benchmark fork shares: the runner starts it (or is given its URL) and hands the URL
 * to the forks in the system property {@value #URL_PROPERTY}.
 */
public final class BenchDatabase {

    /** The system property holding the JDBC URL of the shared server. */
    public static final String URL_PROPERTY = "bench.jdbcUrl";

    /** Connections of the pool of the issue 6 scenarios (at most 4 threads). */
    public static final int POOL_SIZE = 8;

    /** Connections of the pool of the concurrent scenarios: 16 writers, a subscription and a spare. */
    public static final int CONCURRENT_POOL_SIZE = 20;

    private BenchDatabase() {
    }

    /** @return the JDBC URL of the shared server */
    public static String url() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            throw new IllegalStateException("No -D" + URL_PROPERTY + "; run the benchmarks through BenchmarkRunner,"
                    + " which starts the embedded PostgreSQL server (see benchmarks/RESULTS.md)");
        }
        return url;
    }

    /**
     * Opens a connection pool of {@value #POOL_SIZE} connections on the shared server, configured alike for every
     * contender.
     *
     * @return the pool; close it when done
     */
    public static HikariDataSource pool() {
        return pool(url(), POOL_SIZE);
    }

    /**
     * Opens a connection pool of {@code size} connections (all opened at once), configured alike for every
     * contender.
     *
     * @return the pool; close it when done
     */
    public static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName("bench");
        return new HikariDataSource(config);
    }

    /**
     * Creates a schema of its own for one run on a server the runner did not start, so that reruns and other
     * users of the server never meet this run's tables.
     *
     * @param url the server's JDBC URL, as given
     * @return the schema's name
     */
    public static String createRunSchema(String url) throws SQLException {
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    /** Drops a schema made by {@link #createRunSchema}, with everything in it. */
    public static void dropRunSchema(String url, String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** @return {@code url} with the connection parameter that makes {@code schema} the current schema */
    public static String inSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
