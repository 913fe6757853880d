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
 * {@link PostgresSequencer}), on a connection of its own held by a daemon thread, and runs a callback per burst of
 * notifications; between notifications it looks for committed events that no pass has numbered yet (appends do not
 * notify: a notification serialises the commits of every notifying transaction in the database) and runs the
 * callback when there are some, so that a subscription numbers and reads them. Loaded only for PostgreSQL, so the
 * driver stays an optional dependency.
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
    private final Thread thread;
    private volatile boolean running = true;

    private PostgresAppendListener(DataSource dataSource, TableName table, Runnable onAppend, String pendingSql) {
        this.dataSource = dataSource;
        this.table = table;
        this.onAppend = onAppend;
        this.pendingSql = pendingSql;
        this.thread = new Thread(this::run, "eventsource-listen-" + table.qualified());
        this.thread.setDaemon(true);
    }

    static PostgresAppendListener start(DataSource dataSource, TableName table, Runnable onAppend,
                                        String pendingSql) {
        PostgresAppendListener listener = new PostgresAppendListener(dataSource, table, onAppend, pendingSql);
        listener.thread.start();
        return listener;
    }

    private void run() {
        int failures = 0;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                PGConnection postgres = connection.unwrap(PGConnection.class);
                try (Statement listen = connection.createStatement()) {
                    // The channel is the validated table name in lower case (letters, digits, _ and .), or a hash.
                    listen.execute("LISTEN \"" + table.notifyChannel() + "\"");
                }
                failures = 0;
                // Notifications sent while this connection was down are lost: let listeners read once.
                onAppend.run();
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0 || pending(connection)) {
                        onAppend.run();
                    }
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

    /** Stops listening; the connection goes back to the DataSource within about half a second. */
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
