package dev.eventsource.autoconfigure;

import dev.eventsource.store.jdbc.InvalidTableNameException;

/**
 * Explains an {@link InvalidTableNameException}: {@code eventsource.jdbc.table-name} is no SQL identifier.
 */
class InvalidTableNameFailureAnalyzer extends MessageFailureAnalyzer<InvalidTableNameException> {

    @Override
    String action(InvalidTableNameException cause) {
        return "Set eventsource.jdbc.table-name to letters, digits and underscores, starting with a letter or "
                + "underscore, optionally prefixed by a schema and a dot (for example 'eventsource_events' or "
                + "'app.events'), or remove it to use the default.";
    }
}
