package dev.eventsource.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link JdbcStoreUnavailableException}: the JDBC store was asked for but cannot be created.
 */
class JdbcStoreUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<JdbcStoreUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, JdbcStoreUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage() + ".",
                "Add spring-boot-starter-jdbc and a JDBC driver and set spring.datasource.url (or define one "
                        + "DataSource bean, or mark one of several @Primary), or set eventsource.store.type=memory to "
                        + "keep events in memory.",
                cause);
    }
}
