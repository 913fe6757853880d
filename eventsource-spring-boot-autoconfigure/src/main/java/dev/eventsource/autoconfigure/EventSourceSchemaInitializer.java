package dev.eventsource.autoconfigure;

import dev.eventsource.store.jdbc.JdbcStore;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

import javax.sql.DataSource;
import java.util.function.Supplier;

/**
 * Creates the events table at start-up, as {@code eventsource.jdbc.initialize-schema} says; ordered with Spring
 * Boot's other database initializers (after Flyway and Liquibase), and before the beans that use the database.
 */
public final class EventSourceSchemaInitializer implements InitializingBean {

    private final DataSource dataSource;

    private final DatabaseInitializationMode mode;

    private final Supplier<JdbcStore> store;

    private boolean initialized;

    EventSourceSchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, Supplier<JdbcStore> store) {
        this.dataSource = dataSource;
        this.mode = mode;
        this.store = store;
    }

    @Override
    public void afterPropertiesSet() {
        if (this.mode == DatabaseInitializationMode.ALWAYS
                || (this.mode == DatabaseInitializationMode.EMBEDDED && EmbeddedDatabaseConnection.isEmbedded(this.dataSource))) {
            this.store.get().createSchema();
            this.initialized = true;
        }
    }

    /** @return whether the events table was created (or found) at start-up */
    public boolean isInitialized() {
        return this.initialized;
    }
}
