package dev.eventsource.internal;

import java.sql.SQLException;

/**
 * What a JDBC failure means, the same for the JDBC store and the JDBC checkpoint store.
 */
public final class SqlFailures {

    private SqlFailures() {
    }

    /**
     * Returns whether a failure is a unique-key violation on any supported database, looking through the causes and
     * next exceptions drivers chain the server's error into.
     *
     * @param failure what the driver threw
     * @return whether an insert met an existing key
     */
    public static boolean isUniqueViolation(SQLException failure) {
        // Drivers chain the server's error through causes or getNextException; a few links suffice.
        Throwable link = failure;
        for (int depth = 0; link != null && depth < 8; depth++) {
            if (link instanceof SQLException sql && isUniqueState(sql)) {
                return true;
            }
            Throwable next = link instanceof SQLException sql && sql.getNextException() != null
                    ? sql.getNextException() : link.getCause();
            link = next == link ? null : next;
        }
        return false;
    }

    private static boolean isUniqueState(SQLException e) {
        // 23505: PostgreSQL and H2; 23000 with error 1062: MySQL and MariaDB.
        return "23505".equals(e.getSQLState())
                || ("23000".equals(e.getSQLState()) && e.getErrorCode() == 1062);
    }
}
