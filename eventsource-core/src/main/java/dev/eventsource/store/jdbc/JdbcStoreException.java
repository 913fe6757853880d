package dev.eventsource.store.jdbc;

import dev.eventsource.EventSourceException;

/**
 * Thrown when the database fails an operation of a {@link JdbcStore} (connection lost, statement refused, schema
 * missing); the message says which operation on which table, the cause is the driver's exception.
 */
public class JdbcStoreException extends EventSourceException {

    /**
     * @param message what failed, on which table and aggregate
     */
    public JdbcStoreException(String message) {
        super(message);
    }

    /**
     * @param message what failed, on which table and aggregate
     * @param cause the driver's exception
     */
    public JdbcStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
