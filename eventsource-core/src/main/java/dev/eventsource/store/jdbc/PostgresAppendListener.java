package dev.eventsource.store.jdbc;

import dev.eventsource.Backoff;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Listens on the PostgreSQL channel that the numbering passes of one events table notify (see
 * {@link PostgresSequencer}), on a connection taken from the DataSource by a daemon thread, and runs a callback per
 * burst of notifications; between notifications it looks for committed events that no pass has numbered yet
 * (appends do not notify: a notification serialises the commits of every notifying transaction in the database) and
 * runs the callback when there are some, so that a subscription numbers and reads them. Loaded only for PostgreSQL,
 * so the driver stays an optional dependency.
 *
 * <p>The connection is given back to the DataSource (after {@code UNLISTEN *}) and a fresh one taken every
 * connection lifetime, so that a pool can retire it at its maximum lifetime (HikariCP closes a connection past
 * {@code maxLifetime} only when it is returned) rather than the listener holding one pooled connection forever.
 * After a failure (the server ended the session, the network dropped) it reconnects with the shared backoff. After
 * every (re)connection it runs the callback once, since notifications sent meanwhile are lost: a notification is
 * only a wake-up, and readers catch up from their checkpoints, so no event is missed.
 */
final class PostgresAppendListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PostgresAppendListener.class.getName());
    /** How long the listener waits for a notification before it looks for unnumbered events. */
    static final int WAIT_MILLIS = 50;
    /** Between reconnections: 0.5 s, doubling up to 30 s, for as long as the listener runs. */
    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(30));

    private final DataSource dataSource;
    private final TableName table;
    private final Runnable onAppend;
    private final String pendingSql;
    private final long connectionLifetimeNanos;
    private final Thread thread;
    private volatile boolean running = true;

    private PostgresAppendListener(DataSource dataSource, TableName table, Runnable onAppend, String pendingSql,
                                   Duration connectionLifetime) {
        this.dataSource = dataSource;
        this.table = table;
        this.onAppend = onAppend;
        this.pendingSql = pendingSql;
        this.connectionLifetimeNanos = connectionLifetime.toNanos();
        this.thread = new Thread(this::run, "eventsource-listen-" + table.qualified());
        this.thread.setDaemon(true);
    }

    static PostgresAppendListener start(DataSource dataSource, TableName table, Runnable onAppend,
                                        String pendingSql, Duration connectionLifetime) {
        PostgresAppendListener listener = new PostgresAppendListener(dataSource, table, onAppend, pendingSql,
                connectionLifetime);
        listener.thread.start();
        return listener;
    }

    private void run() {
        int failures = 0;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                long connectedAt = System.nanoTime();
                PGConnection postgres = connection.unwrap(PGConnection.class);
                try (Statement listen = connection.createStatement()) {
                    // The channel is the validated table name in lower case (letters, digits, _ and .), or a hash.
                    listen.execute("LISTEN \"" + table.notifyChannel() + "\"");
                }
                failures = 0;
                // Notifications sent while this connection was down are lost: let listeners read once.
                onAppend.run();
                while (running && System.nanoTime() - connectedAt < connectionLifetimeNanos) {
                    PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0 || pending(connection)) {
                        onAppend.run();
                    }
                }
                // Recycling (or closing): the connection goes back to its pool, which must not hand it out still
                // listening, nor keep the notifications that arrive for it.
                try (Statement unlisten = connection.createStatement()) {
                    unlisten.execute("UNLISTEN *");
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                Duration pause = BACKOFF.delay(++failures);
                LOG.log(System.Logger.Level.WARNING, "Listening for appends to " + table + " failed ("
                        + e.getMessage() + "); subscriptions keep polling; retrying in " + pause.toMillis() + " ms");
                sleep(pause.toMillis());
            }
        }
    }

    private boolean pending(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(pendingSql)) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    private void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops listening; the connection goes back to the DataSource within about a second. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2 * WAIT_MILLIS + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
