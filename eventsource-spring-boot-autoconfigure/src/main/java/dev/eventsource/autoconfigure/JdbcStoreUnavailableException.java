package dev.eventsource.autoconfigure;

import dev.eventsource.EventSourceException;

/**
 * Thrown at start-up when {@code eventsource.store.type} is {@code jdbc} but the JDBC store cannot be created:
 * the context has no single DataSource, or spring-jdbc or spring-boot-jdbc is not on the classpath.
 */
public class JdbcStoreUnavailableException extends EventSourceException {

    /**
     * Creates the exception.
     *
     * @param reason what is missing
     */
    public JdbcStoreUnavailableException(String reason) {
        super("eventsource.store.type is 'jdbc' but " + reason);
    }
}
