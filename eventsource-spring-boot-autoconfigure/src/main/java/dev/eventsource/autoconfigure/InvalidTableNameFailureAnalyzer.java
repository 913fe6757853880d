package dev.eventsource.autoconfigure;

import dev.eventsource.store.jdbc.InvalidTableNameException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidTableNameException}: {@code eventsource.jdbc.table-name} is no SQL identifier.
 */
class InvalidTableNameFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTableNameException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidTableNameException cause) {
        return new FailureAnalysis(cause.getMessage() + ".",
                "Set eventsource.jdbc.table-name to letters, digits and underscores, starting with a letter or "
                        + "underscore, optionally prefixed by a schema and a dot (for example 'eventsource_events' or "
                        + "'app.events'), or remove it to use the default.",
                cause);
    }
}
