package dev.eventsource.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.Observer;
import dev.eventsource.Repository;
import dev.eventsource.RepositoryMetrics;
import dev.eventsource.Serializer;
import dev.eventsource.Store;

/**
 * Builds the repositories of the scanned aggregates, all on the context's store, serializer and metrics, and all
 * notifying the context's observers.
 */
final class RepositoryFactory {

    private final Store store;

    private final Serializer serializer;

    private final RepositoryMetrics metrics;

    private final Observer observer;

    private final int maxRetries;

    RepositoryFactory(Store store, Serializer serializer, RepositoryMetrics metrics, Observer observer, int maxRetries) {
        this.store = store;
        this.serializer = serializer;
        this.metrics = metrics;
        this.observer = observer;
        this.maxRetries = maxRetries;
    }

    <A extends Aggregate> Repository<A> create(Class<A> aggregate) {
        return Repository.builder(aggregate)
            .store(this.store)
            .serializer(this.serializer)
            .metrics(this.metrics)
            .observers(this.observer)
            .maxRetries(this.maxRetries)
            .build();
    }
}
