package dev.eventsource.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.Backoff;
import dev.eventsource.Observer;
import dev.eventsource.Repository;
import dev.eventsource.RepositoryMetrics;
import dev.eventsource.Serializer;
import dev.eventsource.SnapshotPolicy;
import dev.eventsource.SnapshotStore;
import dev.eventsource.StateSerializer;
import dev.eventsource.Store;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

import java.util.List;

/**
 * Builds the repositories of the scanned aggregates, all on the context's store, serializer and metrics, and all
 * notifying the context's observers, then customized by the context's {@link RepositoryCustomizer} beans. With
 * spring-tx on the classpath the store is seen through {@link DataAccessTranslatingStore}, so that store failures
 * reach the repositories' callers as Spring's {@code DataAccessException}. An aggregate that gets snapshots
 * ({@link SnapshotSettings}) has them in the context's {@link SnapshotStore}, taken on the {@link SnapshotExecutor}.
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

    private final Snapshots snapshots;

    RepositoryFactory(Store store, Serializer serializer, RepositoryMetrics metrics, Observer observer, Backoff retry,
            ObjectProvider<RepositoryCustomizer> customizers, Snapshots snapshots) {
        this.store = DATA_ACCESS_EXCEPTIONS ? DataAccessTranslatingStore.wrap(store) : store;
        this.serializer = serializer;
        this.metrics = metrics;
        this.observer = observer;
        this.retry = retry;
        this.customizers = customizers;
        this.snapshots = snapshots;
    }

    <A extends Aggregate> Repository<A> create(Class<A> aggregate) {
        Repository.Builder<A> builder = Repository.builder(aggregate)
            .store(this.store)
            .serializer(this.serializer)
            .metrics(this.metrics)
            .observers(this.observer)
            .retry(this.retry);
        SnapshotPolicy policy = this.snapshots.settings().policy(aggregate);
        if (policy != null) {
            builder.snapshots(this.snapshots.store(aggregate, this.store, this.serializer), policy);
            SnapshotExecutor executor = this.snapshots.executor().getIfAvailable();
            if (executor != null) {
                builder.snapshotExecutor(executor);
            }
        }
        this.customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        return builder.build();
    }

    /**
     * What the repositories take snapshots with.
     *
     * @param settings which aggregates get snapshots, with which policy
     * @param stores the {@link SnapshotStore} beans
     * @param executor the shared executor, absent when snapshots are switched off
     */
    record Snapshots(SnapshotSettings settings, ObjectProvider<SnapshotStore> stores,
            ObjectProvider<SnapshotExecutor> executor) {

        /**
         * @return the context's one snapshot store
         * @throws SnapshotConfigurationException when there is none or the serializer cannot write state
         */
        SnapshotStore store(Class<? extends Aggregate> aggregate, Store store, Serializer serializer) {
            String typeName = Aggregate.typeName(aggregate);
            String off = "or turn them off for this type (eventsource.snapshots.aggregates." + typeName
                    + ".enabled=false) or for all (eventsource.snapshots.enabled=false).";
            if (!(serializer instanceof StateSerializer)) {
                throw new SnapshotConfigurationException("Aggregate " + typeName + " gets snapshots ("
                        + settings().reason(aggregate) + ") but the Serializer bean, a "
                        + serializer.getClass().getName() + ", cannot write aggregate state (it is no "
                        + "dev.eventsource.StateSerializer)",
                        "Define the Serializer bean as a JacksonSerializer (or another StateSerializer), " + off);
            }
            SnapshotStore unique = stores().getIfUnique();
            if (unique != null) {
                return unique;
            }
            List<SnapshotStore> all = stores().stream().toList();
            String found = all.isEmpty() ? "the application context has no SnapshotStore bean"
                    : "the application context has " + all.size() + " SnapshotStore beans and none is @Primary";
            Store events = (store instanceof DataAccessTranslatingStore translating) ? translating.delegate() : store;
            throw new SnapshotConfigurationException("Aggregate " + typeName + " gets snapshots ("
                    + settings().reason(aggregate) + ") but " + found + " (the event store is a "
                    + events.getClass().getName() + ")",
                    (all.isEmpty() ? "Define a SnapshotStore bean (the memory and JDBC stores come with one), "
                            : "Mark one SnapshotStore bean @Primary, ") + off);
        }
    }
}
