package dev.eventsource.autoconfigure;

import dev.eventsource.EventSourceException;

/**
 * Thrown at start-up when the JDBC store cannot be created although it is asked for: {@code eventsource.store.type}
 * is {@code jdbc} but the context has no single DataSource, or spring-jdbc or spring-boot-jdbc is not on the
 * classpath; or the type is {@code auto} and the context has a DataSource but lacks those modules, where keeping
 * the events in memory instead would lose them at the next stop.
 */
public class JdbcStoreUnavailableException extends EventSourceException {

    /**
     * Creates the exception.
     *
     * @param reason what is missing
     */
    public JdbcStoreUnavailableException(String reason) {
        this("jdbc", reason);
    }

    /**
     * Creates the exception.
     *
     * @param type the configured store type, {@code jdbc} or {@code auto}
     * @param reason what is missing
     */
    public JdbcStoreUnavailableException(String type, String reason) {
        super("eventsource.store.type is '" + type + "' but " + reason);
    }
}
