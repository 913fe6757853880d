package dev.eventsource.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the JDBC classes of the store do alike with connections after a failure; what a failure means is
 * {@link dev.eventsource.internal.SqlFailures}, shared with the JDBC checkpoint store.
 */
final class Jdbc {

    private Jdbc() {
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
