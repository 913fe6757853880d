package dev.eventsource.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** What the JDBC classes of the store do alike with SQL failures and connections. */
final class Jdbc {

    private Jdbc() {
    }

    /** @return whether a failure is the violation of a unique key, on any supported database */
    static boolean isUniqueViolation(SQLException failure) {
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

    /** Rolls back, adding a failure of the rollback itself to the failure that caused it. */
    static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Switches autocommit back on after a failure, adding a failure of the switch to the first failure. */
    static void restoreAutoCommit(Connection connection, Throwable failure) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
