package dev.eventsource.autoconfigure;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.Ordered;

import java.util.Set;

/**
 * Tells Spring Boot that {@link EventSourceSchemaInitializer} beans initialize the database, so that they run after
 * Flyway and Liquibase and before the beans that depend on database initialization.
 */
class EventSourceSchemaInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    /** With Boot's SQL script initializers: after Flyway and Liquibase, whose migrations may create the schema. */
    private static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(EventSourceSchemaInitializer.class);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
