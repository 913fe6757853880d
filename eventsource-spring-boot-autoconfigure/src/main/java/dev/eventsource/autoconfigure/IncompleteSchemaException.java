package dev.eventsource.autoconfigure;

import dev.eventsource.EventSourceException;
import dev.eventsource.store.jdbc.JdbcSchemaCheck;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

import java.util.Locale;

/**
 * Thrown at start-up when the JDBC store's tables are missing, or lack columns (created by an earlier version),
 * after schema initialization, Flyway and Liquibase ran: better than a first command failing with "relation does
 * not exist".
 */
public class IncompleteSchemaException extends EventSourceException {

    private final transient JdbcSchemaCheck check;

    private final DatabaseInitializationMode initializeSchema;

    /**
     * Creates the exception.
     *
     * @param check what is missing
     * @param initializeSchema the configured {@code eventsource.jdbc.initialize-schema}
     */
    public IncompleteSchemaException(JdbcSchemaCheck check, DatabaseInitializationMode initializeSchema) {
        super("The event store's " + check + " in the " + check.platform() + " database"
                + (check.tablesToCreate().isEmpty() ? "" : " (eventsource.jdbc.initialize-schema is '"
                        + initializeSchema.name().toLowerCase(Locale.ROOT) + "'"
                        + (initializeSchema == DatabaseInitializationMode.EMBEDDED
                                ? ", which creates tables in embedded databases only)" : ")")));
        this.check = check;
        this.initializeSchema = initializeSchema;
    }

    /** @return what is missing */
    public JdbcSchemaCheck check() {
        return this.check;
    }

    /** @return the configured schema initialization mode */
    public DatabaseInitializationMode initializeSchema() {
        return this.initializeSchema;
    }
}
