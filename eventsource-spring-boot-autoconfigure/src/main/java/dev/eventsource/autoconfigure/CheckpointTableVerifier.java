package dev.eventsource.autoconfigure;

import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.store.jdbc.JdbcSchemaCheck;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.CheckpointStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * Checks the checkpoints table once every singleton exists (so after schema initialization, Flyway and Liquibase),
 * and only when subscriptions will use it: when at least one projection runs as a subscription on the JDBC
 * checkpoint store. Applications without subscriptions need no checkpoints table.
 */
final class CheckpointTableVerifier implements SmartInitializingSingleton {

    private final JdbcStore store;

    private final ObjectProvider<CheckpointStore> checkpoints;

    private final ObjectProvider<EventSourceProjections> projections;

    private final DatabaseInitializationMode initializeSchema;

    CheckpointTableVerifier(JdbcStore store, ObjectProvider<CheckpointStore> checkpoints,
            ObjectProvider<EventSourceProjections> projections, DatabaseInitializationMode initializeSchema) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.projections = projections;
        this.initializeSchema = initializeSchema;
    }

    @Override
    public void afterSingletonsInstantiated() {
        EventSourceProjections subscriptions = this.projections.getIfUnique();
        if (!(this.checkpoints.getIfUnique() instanceof JdbcCheckpointStore) || subscriptions == null
                || subscriptions.subscriptions().isEmpty()) {
            return;
        }
        JdbcSchemaCheck check = this.store.verifySchema(true);
        if (!check.isComplete()) {
            throw new IncompleteSchemaException(check, this.initializeSchema);
        }
    }
}
