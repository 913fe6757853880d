package dev.eventsource.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.Backoff;
import dev.eventsource.Observer;
import dev.eventsource.Repository;
import dev.eventsource.RepositoryMetrics;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

/**
 * Builds the repositories of the scanned aggregates, all on the context's store, serializer and metrics, and all
 * notifying the context's observers, then customized by the context's {@link RepositoryCustomizer} beans. With
 * spring-tx on the classpath the store is seen through {@link DataAccessTranslatingStore}, so that store failures
 * reach the repositories' callers as Spring's {@code DataAccessException}.
 */
final class RepositoryFactory {

    private static final boolean DATA_ACCESS_EXCEPTIONS = ClassUtils.isPresent(
            "org.springframework.dao.DataAccessException", RepositoryFactory.class.getClassLoader());

    private final Store store;

    private final Serializer serializer;

    private final RepositoryMetrics metrics;

    private final Observer observer;

    private final Backoff retry;

    private final ObjectProvider<RepositoryCustomizer> customizers;

    RepositoryFactory(Store store, Serializer serializer, RepositoryMetrics metrics, Observer observer, Backoff retry,
            ObjectProvider<RepositoryCustomizer> customizers) {
        this.store = DATA_ACCESS_EXCEPTIONS ? DataAccessTranslatingStore.wrap(store) : store;
        this.serializer = serializer;
        this.metrics = metrics;
        this.observer = observer;
        this.retry = retry;
        this.customizers = customizers;
    }

    <A extends Aggregate> Repository<A> create(Class<A> aggregate) {
        Repository.Builder<A> builder = Repository.builder(aggregate)
            .store(this.store)
            .serializer(this.serializer)
            .metrics(this.metrics)
            .observers(this.observer)
            .retry(this.retry);
        this.customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        return builder.build();
    }
}
