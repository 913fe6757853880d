package dev.eventsource.autoconfigure;

import dev.eventsource.store.jdbc.JdbcStoreException;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a store failure into Spring's {@link DataAccessException}, so that Spring MVC, {@code @Transactional}
 * rollback rules and retry libraries treat it as every other data access failure. The kind is decided by the
 * SQLState, the vendor code and the class of the driver's {@link SQLException} in the failure's causes (PostgreSQL,
 * MySQL/MariaDB and H2):
 *
 * <table>
 * <caption>Translation of store failures</caption>
 * <tr><th>failure</th><th>exception</th></tr>
 * <tr><td>connection lost or refused, pool exhausted (SQLState class 08, 57P01-57P03, 53xxx, an
 * {@link SQLTransientException}, an I/O error; MySQL 2006, 2013, 1927; H2 90067, 90098, 90121)</td>
 * <td>{@link TransientDataAccessResourceException}</td></tr>
 * <tr><td>query timeout or cancel (57014, an {@link SQLTimeoutException}; MySQL 3024, 1317; MariaDB 1969)</td>
 * <td>{@link QueryTimeoutException}</td></tr>
 * <tr><td>lock wait timeout (55P03; MySQL 1205; H2 50200)</td><td>{@link CannotAcquireLockException}</td></tr>
 * <tr><td>deadlock or serialization failure (40001, 40P01; MySQL 1213)</td>
 * <td>{@link PessimisticLockingFailureException}</td></tr>
 * <tr><td>constraint violation (class 23)</td><td>{@link DataIntegrityViolationException}</td></tr>
 * <tr><td>missing table or column, bad SQL, no privilege (class 42)</td>
 * <td>{@link InvalidDataAccessResourceUsageException}</td></tr>
 * <tr><td>anything else</td><td>{@link UncategorizedStoreException}</td></tr>
 * </table>
 *
 * <p>The message is the store's, with the SQLState and vendor code appended. The cause is the store's
 * {@link JdbcStoreException} itself, except in one case: when the driver's exception carries an
 * {@link IOException} (a lost connection surfaces as an {@code EOFException} or a {@code SocketException} "Connection
 * reset by peer" or "Broken pipe"). Web frameworks take exactly those, found anywhere in the causes, for a client that
 * hung up, and the request then ends with an empty 200 although nothing was stored: Spring's
 * {@code DisconnectedClientHelper} matches them by simple class name along the causes and by the message of the
 * root cause (in Spring Framework 7.0.8 it stops at a {@code DataAccessException}, but earlier versions did not, and
 * an {@code @ExceptionHandler(IOException.class)} still matches a cause of it). In that case the cause
 * is a copy of the store's exception, with its message and stack trace but without causes, and the store's original
 * exception, with the driver's exception and the I/O error, is attached to that copy as suppressed: it is printed
 * with every stack trace and reachable through {@link Throwable#getSuppressed()}, but no walk along the causes finds
 * the I/O error.
 */
final class StoreFailureTranslator {

    private static final Set<String> LOST_CONNECTION_STATES = Set.of("57P01", "57P02", "57P03");

    /** MySQL/MariaDB: server gone away, lost during query, connection killed; H2: broken, closed, shutting down. */
    private static final Set<Integer> LOST_CONNECTION_CODES = Set.of(2006, 2013, 1927, 1053, 90067, 90098, 90121);

    /** MySQL: max_execution_time exceeded, query interrupted; MariaDB: max_statement_time exceeded. */
    private static final Set<Integer> TIMEOUT_CODES = Set.of(3024, 1317, 1969);

    /** MySQL/MariaDB: lock wait timeout; H2: lock timeout. */
    private static final Set<Integer> LOCK_TIMEOUT_CODES = Set.of(1205, 50200);

    private StoreFailureTranslator() {
    }

    /** @return the data access exception to throw instead of the store's failure */
    static DataAccessException translate(JdbcStoreException failure) {
        List<SQLException> sqlExceptions = new ArrayList<>();
        boolean ioFailure = collect(failure, sqlExceptions);
        SQLException sql = sqlExceptions.isEmpty() ? null : sqlExceptions.get(0);
        String message = (sql != null) ? failure.getMessage() + " [SQLState " + sql.getSQLState() + ", error code "
                + sql.getErrorCode() + "]" : failure.getMessage();
        Throwable cause = ioFailure ? withoutCauses(failure) : failure;
        Kind kind = Kind.OTHER;
        for (SQLException candidate : sqlExceptions) {
            kind = classify(candidate);
            if (kind != Kind.OTHER) {
                break;
            }
        }
        if (kind == Kind.OTHER && ioFailure) {
            kind = Kind.LOST_CONNECTION;
        }
        return switch (kind) {
            case LOST_CONNECTION -> new TransientDataAccessResourceException(message, cause);
            case TIMEOUT -> new QueryTimeoutException(message, cause);
            case LOCK_TIMEOUT -> new CannotAcquireLockException(message, cause);
            case DEADLOCK -> new PessimisticLockingFailureException(message, cause);
            case INTEGRITY -> new DataIntegrityViolationException(message, cause);
            case RESOURCE_USAGE -> new InvalidDataAccessResourceUsageException(message, cause);
            case OTHER -> new UncategorizedStoreException(message, cause);
        };
    }

    private enum Kind {
        LOST_CONNECTION, TIMEOUT, LOCK_TIMEOUT, DEADLOCK, INTEGRITY, RESOURCE_USAGE, OTHER
    }

    private static Kind classify(SQLException sql) {
        String state = (sql.getSQLState() != null) ? sql.getSQLState() : "";
        int code = sql.getErrorCode();
        if (sql instanceof SQLTimeoutException || state.equals("57014") || TIMEOUT_CODES.contains(code)) {
            return Kind.TIMEOUT;
        }
        if (state.startsWith("08") || state.startsWith("53") || LOST_CONNECTION_STATES.contains(state)
                || LOST_CONNECTION_CODES.contains(code)) {
            return Kind.LOST_CONNECTION;
        }
        if (state.equals("55P03") || LOCK_TIMEOUT_CODES.contains(code)) {
            return Kind.LOCK_TIMEOUT;
        }
        if (state.equals("40001") || state.equals("40P01") || code == 1213) {
            return Kind.DEADLOCK;
        }
        if (sql instanceof SQLTransientException) {
            // For example a connection pool's timeout (SQLTransientConnectionException), whatever its SQLState.
            return Kind.LOST_CONNECTION;
        }
        if (state.startsWith("23")) {
            return Kind.INTEGRITY;
        }
        if (state.startsWith("42")) {
            return Kind.RESOURCE_USAGE;
        }
        return Kind.OTHER;
    }

    /**
     * Collects the SQL exceptions among the causes (and chained next exceptions) of a failure.
     *
     * @return whether an I/O error is among them
     */
    private static boolean collect(Throwable failure, List<SQLException> sqlExceptions) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        List<Throwable> pending = new ArrayList<>(List.of(failure));
        boolean io = false;
        while (!pending.isEmpty() && seen.size() < 32) {
            Throwable current = pending.remove(0);
            if (current == null || seen.put(current, Boolean.TRUE) != null) {
                continue;
            }
            if (current instanceof IOException) {
                io = true;
            }
            if (current instanceof SQLException sql) {
                sqlExceptions.add(sql);
                pending.add(sql.getNextException());
            }
            pending.add(current.getCause());
        }
        return io;
    }

    private static JdbcStoreException withoutCauses(JdbcStoreException failure) {
        JdbcStoreException copy = new JdbcStoreException(failure.getMessage());
        copy.setStackTrace(failure.getStackTrace());
        copy.addSuppressed(failure);
        return copy;
    }
}
