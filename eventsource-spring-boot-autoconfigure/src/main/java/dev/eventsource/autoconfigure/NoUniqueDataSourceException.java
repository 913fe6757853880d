package dev.eventsource.autoconfigure;

import dev.eventsource.EventSourceException;

import java.util.List;

/**
 * Thrown at start-up when the JDBC store is to be used ({@code eventsource.store.type} {@code auto} or {@code jdbc})
 * and the context has several DataSources, none of them {@code @Primary} or qualified {@link EventSourceDataSource}:
 * the store will not guess, and will not keep the events in memory instead.
 */
public class NoUniqueDataSourceException extends EventSourceException {

    private final List<String> beanNames;

    /**
     * Creates the exception.
     *
     * @param storeType the configured store type, {@code auto} or {@code jdbc}
     * @param beanNames the names of the DataSource beans
     */
    public NoUniqueDataSourceException(String storeType, List<String> beanNames) {
        super("eventsource.store.type is '" + storeType + "' and the application context has " + beanNames.size()
                + " DataSource beans (" + String.join(", ", beanNames) + "), none of them @Primary or qualified "
                + "@EventSourceDataSource, so the JDBC store cannot tell which one holds the events");
        this.beanNames = List.copyOf(beanNames);
    }

    /** @return the names of the DataSource beans */
    public List<String> beanNames() {
        return this.beanNames;
    }
}
