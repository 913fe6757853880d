package dev.eventsource.autoconfigure;

/**
 * Explains a {@link NoUniqueDataSourceException}: several DataSources and nothing says which one holds the events.
 */
class NoUniqueDataSourceFailureAnalyzer extends MessageFailureAnalyzer<NoUniqueDataSourceException> {

    @Override
    String action(NoUniqueDataSourceException cause) {
        return "Mark the DataSource that holds the events @Primary, or annotate its @Bean method with "
                + "@dev.eventsource.autoconfigure.EventSourceDataSource to use it for events only; or set "
                + "eventsource.store.type=memory to keep events in memory.";
    }
}
