package dev.eventsource.autoconfigure;

import org.springframework.dao.UncategorizedDataAccessException;

/**
 * A store failure that fits none of Spring's more specific data access exceptions; its cause is the store's
 * exception (such as {@link dev.eventsource.store.jdbc.JdbcStoreException}). See
 * {@link EventSourceAutoConfiguration} for the translation of store failures.
 */
public class UncategorizedStoreException extends UncategorizedDataAccessException {

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the store's exception
     */
    public UncategorizedStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
