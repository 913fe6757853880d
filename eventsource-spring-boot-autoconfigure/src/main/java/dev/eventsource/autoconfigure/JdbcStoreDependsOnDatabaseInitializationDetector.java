package dev.eventsource.autoconfigure;

import dev.eventsource.store.jdbc.JdbcStore;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

import java.util.Set;

/**
 * Makes {@link JdbcStore} beans wait for database initialization, so that the events table exists before any
 * repository can append to it.
 */
class JdbcStoreDependsOnDatabaseInitializationDetector extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

    @Override
    protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
        return Set.of(JdbcStore.class);
    }
}
