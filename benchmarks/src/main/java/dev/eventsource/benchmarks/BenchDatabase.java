package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The PostgreSQL server every benchmark fork shares: the runner starts it and hands its URL to the forks in the
 * system property {@value #URL_PROPERTY}.
 */
public final class BenchDatabase {

    /** The system property holding the JDBC URL of the shared server. */
    public static final String URL_PROPERTY = "bench.jdbcUrl";

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
     * Opens a connection pool on the shared server, configured alike for every contender.
     *
     * @return the pool; close it when done
     */
    public static HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(8);
        config.setPoolName("bench");
        return new HikariDataSource(config);
    }
}
