package dev.eventsource.autoconfigure;

/**
 * Explains a {@link JdbcStoreUnavailableException}: the JDBC store was asked for but cannot be created.
 */
class JdbcStoreUnavailableFailureAnalyzer extends MessageFailureAnalyzer<JdbcStoreUnavailableException> {

    @Override
    String action(JdbcStoreUnavailableException cause) {
        return "Add spring-boot-starter-jdbc and a JDBC driver and set spring.datasource.url (or define one "
                + "DataSource bean, or mark one of several @Primary), or set eventsource.store.type=memory to "
                + "keep events in memory.";
    }
}
