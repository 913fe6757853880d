package dev.eventsource.autoconfigure;

import dev.eventsource.store.jdbc.JdbcSchemaCheck;

/**
 * Explains an {@link IncompleteSchemaException}: names the property that creates missing tables, and the shipped
 * scripts that create them or migrate a table of an earlier version.
 */
class IncompleteSchemaFailureAnalyzer extends MessageFailureAnalyzer<IncompleteSchemaException> {

    @Override
    String action(IncompleteSchemaException cause) {
        JdbcSchemaCheck check = cause.check();
        StringBuilder action = new StringBuilder();
        if (!check.tablesToCreate().isEmpty()) {
            action.append("Set eventsource.jdbc.initialize-schema=always to create the tables at start-up, or apply ")
                .append(check.schemaScript())
                .append(" from the eventsource-core jar (with your table name) as a Flyway or Liquibase migration"
                        + " or by hand.");
        }
        if (check.needsMigration()) {
            if (action.length() > 0) {
                action.append(' ');
            }
            action.append("The tables were created by an earlier version of eventsource: apply ")
                .append(String.join(" and then ", check.migrationScripts()))
                .append(" from the eventsource-core jar (with your table name) to bring it to the current layout;"
                        + " eventsource.jdbc.initialize-schema does not alter existing tables.");
        }
        return action.toString();
    }
}
