package dev.eventsource.store.jdbc;

import dev.eventsource.EventSourceException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a configured table name is not a plain or schema-qualified SQL identifier; no SQL is built from it.
 */
public class InvalidTableNameException extends EventSourceException {

    private final @Nullable String tableName;

    /**
     * @param tableName the rejected name, as given
     * @param reason what is wrong with it
     */
    public InvalidTableNameException(@Nullable String tableName, String reason) {
        super("Invalid event table name " + (tableName == null ? "null" : "'" + tableName + "'") + ": " + reason
                + ". Use letters, digits and underscores, starting with a letter or underscore, optionally"
                + " prefixed by a schema and a dot, for example 'eventsource_events' or 'app.events'");
        this.tableName = tableName;
    }

    /** @return the rejected name, as given (may be null) */
    public @Nullable String tableName() {
        return tableName;
    }
}
