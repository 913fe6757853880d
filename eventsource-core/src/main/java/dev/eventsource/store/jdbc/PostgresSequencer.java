package dev.eventsource.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Numbers the committed events of one PostgreSQL events table: gives the rows inserted without a position the next
 * positions, in insertion order, in a short transaction under the table's sequencing lock.
 *
 * <h2>Why this never lets a reader skip</h2>
 * Appends insert their rows with a NULL position and do not wait for each other (only for appends to the same
 * aggregate). A reader of the global stream reads {@code position > checkpoint}, so it sees only numbered rows. A
 * numbering pass takes the table's sequencing lock (a transaction-scoped advisory lock, held until the pass
 * commits), then, in a new statement at READ COMMITTED whose snapshot therefore sees every earlier pass committed,
 * numbers the rows that are committed and still unnumbered from the highest position plus one. Passes thus commit one after the
 * other, each with positions above all positions committed before it; a row that is not committed when a pass runs
 * (a long or idle transaction) is numbered by a later pass, above everything numbered by then. So a reader that has
 * returned position p can never later find a committed row below p, whatever transactions are open, and no open
 * transaction holds readers back: it is simply not there yet. Positions have no gaps: a rolled-back append never
 * gets one.
 *
 * <h2>Cost and bounds</h2>
 * One {@code UPDATE} per numbered row, in batches of up to {@value #BATCH} rows per statement, off the appending
 * transactions (a reader runs it before it reads). When nothing is waiting, a pass is one index-only probe of a
 * partial index. A pass waits at most {@value #LOCK_TIMEOUT} for the lock held by another pass, and the server ends
 * a pass whose client stops answering inside it after {@value #IDLE_TIMEOUT}, so a frozen process cannot hold
 * numbering back for longer.
 */
final class PostgresSequencer {

    private static final System.Logger LOG = System.getLogger(PostgresSequencer.class.getName());

    /** Rows numbered per statement; a pass repeats the statement while it fills a batch. */
    static final int BATCH = 10_000;
    private static final String LOCK_TIMEOUT = "5s";
    private static final String IDLE_TIMEOUT = "5s";
    private static final String READ_COMMITTED = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
    /** SQLState of lock_timeout expiring. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final TableName table;
    private final String pendingSql;
    private final String lockSql;
    private final String numberSql;

    PostgresSequencer(TableName table) {
        this.table = table;
        this.pendingSql = "SELECT EXISTS (SELECT 1 FROM %1$s WHERE position IS NULL)".formatted(table);
        // The timeouts are set in the FROM item, which is evaluated before the lock call in the select list.
        this.lockSql = ("SELECT pg_advisory_xact_lock((CAST(%1$d AS BIGINT) << 32)"
                + " | CAST(CAST(CAST('%2$s' AS REGCLASS) AS OID) AS BIGINT))"
                + " FROM (SELECT set_config('lock_timeout', '%3$s', true),"
                + " set_config('idle_in_transaction_session_timeout', '%4$s', true)) AS timeouts")
                .formatted(JdbcDialect.ADVISORY_KEY_SPACE, table.qualified(), LOCK_TIMEOUT, IDLE_TIMEOUT);
        // The highest position is an uncorrelated subquery, computed once per statement (from the index on
        // position); the rows are numbered in insertion order. Listening subscriptions are notified at commit.
        this.numberSql = """
                WITH numbered AS (
                    UPDATE %1$s AS e SET position = n.position
                    FROM (SELECT id, (SELECT COALESCE(MAX(position), 0) FROM %1$s)
                                     + ROW_NUMBER() OVER (ORDER BY id) AS position
                          FROM %1$s WHERE position IS NULL ORDER BY id LIMIT %2$d) AS n
                    WHERE e.id = n.id
                    RETURNING e.position)
                SELECT c.n, CASE WHEN c.n > 0 THEN pg_notify('%3$s', '') END
                FROM (SELECT COUNT(*) AS n FROM numbered) AS c""".formatted(table, BATCH, table.notifyChannel());
    }

    /**
     * Numbers every committed, unnumbered row, when there is one, on an autocommit connection: the connection is
     * back in autocommit mode afterwards. When another pass holds the lock for longer than the lock timeout, this
     * pass gives up (logged): the rows are numbered by that pass or the next one.
     *
     * @param connection a connection in autocommit mode, not used by anything else meanwhile
     * @return how many rows this pass numbered
     * @throws SQLException when the database fails
     */
    long number(Connection connection) throws SQLException {
        if (!pending(connection)) {
            return 0;
        }
        connection.setAutoCommit(false);
        long numbered = 0;
        try {
            try (Statement isolation = connection.createStatement()) {
                // The numbering statement must see the pass committed just before it took the lock: at REPEATABLE
                // READ or SERIALIZABLE (a pool's default isolation) its snapshot would date from the lock
                // statement, before the wait, and its UPDATE would fail on the rows that pass numbered.
                isolation.execute(READ_COMMITTED);
            }
            try (PreparedStatement lock = connection.prepareStatement(lockSql)) {
                lock.executeQuery().close();
            }
            int last;
            do {
                try (PreparedStatement number = connection.prepareStatement(numberSql);
                     ResultSet rows = number.executeQuery()) {
                    rows.next();
                    last = rows.getInt(1);
                }
                numbered += last;
            } while (last == BATCH);
            // Switching autocommit back on commits: one round trip.
            connection.setAutoCommit(true);
            return numbered;
        } catch (SQLException | RuntimeException | Error e) {
            Jdbc.rollback(connection, e);
            Jdbc.restoreAutoCommit(connection, e);
            if (e instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                LOG.log(System.Logger.Level.WARNING, "Numbering the committed events of " + table + " waited "
                        + LOCK_TIMEOUT + " for another numbering pass and gave up; reading what is numbered. A"
                        + " pass that takes this long is stuck: look for a session holding an advisory lock in"
                        + " pg_locks");
                return 0;
            }
            throw e;
        }
    }

    private boolean pending(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(pendingSql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    /** @return the statement that tells whether a committed row waits for its position */
    String pendingSql() {
        return pendingSql;
    }
}
