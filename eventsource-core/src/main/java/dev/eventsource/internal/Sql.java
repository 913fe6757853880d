package dev.eventsource.internal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The one way the JDBC store and the JDBC checkpoint store run work on a connection: take one from the DataSource,
 * run the work, give the connection back, and turn a {@link SQLException} into the caller's exception, which says
 * what was being done.
 */
public final class Sql {

    private Sql() {
    }

    /**
     * Work on a connection that may fail with a {@link SQLException}.
     *
     * @param <T> what the work returns
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Runs the work.
         *
         * @param connection the connection, open until the work returns
         * @return the result
         * @throws SQLException when the database fails
         */
        T apply(Connection connection) throws SQLException;
    }

    /**
     * Runs work on a connection of the DataSource.
     *
     * @param dataSource where the connection comes from
     * @param work what to do with it
     * @param failure turns a failure of the database into the exception to throw
     * @param <T> what the work returns
     * @return what the work returned
     */
    public static <T> T run(DataSource dataSource, Work<T> work, Function<SQLException, RuntimeException> failure) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw failure.apply(e);
        }
    }
}
