package dev.eventsource.autoconfigure;

import dev.eventsource.Observer;
import dev.eventsource.RepositoryMetrics;
import dev.eventsource.Serializer;
import dev.eventsource.SnapshotStore;
import dev.eventsource.Store;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of eventsource: a
 * {@link Serializer}, a {@link Store} chosen by {@code eventsource.store.type}, one {@code Repository<A>} per
 * aggregate found in the application's packages (customized by {@link RepositoryCustomizer} beans), the
 * application's projections ({@link EventSourceProjections}) and Micrometer metrics. Each bean backs off when the application
 * defines its own.
 *
 * <p>The repositories of aggregates annotated {@link dev.eventsource.annotation.Snapshotting @Snapshotting} or named
 * under {@code eventsource.snapshots.aggregates} load from snapshots kept in the {@link SnapshotStore} bean (a
 * {@link dev.eventsource.store.memory.MemorySnapshotStore} beside the memory store) and take new ones on the shared
 * {@link SnapshotExecutor}; without a {@code SnapshotStore} bean, start-up fails with a
 * {@link SnapshotConfigurationException} rather than run without the snapshots asked for.
 *
 * <p>The repositories see the store through a translation of its failures: a
 * {@link dev.eventsource.store.jdbc.JdbcStoreException} reaches their callers as Spring's
 * {@code org.springframework.dao.DataAccessException} of the matching kind (transient for a lost connection or a
 * pool timeout, {@code QueryTimeoutException}, {@code PessimisticLockingFailureException}, ..., else
 * {@link UncategorizedStoreException}), with the store's exception as its cause; the library's own exceptions pass
 * unchanged. With the JDBC store, start-up fails with {@link IncompleteSchemaException} when its tables are missing
 * or of an older layout, and with {@link NoUniqueDataSourceException} when several DataSources leave the choice
 * open (see {@link EventSourceDataSource}).
 *
 * <p>Every {@link dev.eventsource.upcast.Upcaster} bean is registered with the serializer (the auto-configured one,
 * or the application's own when it is a {@link dev.eventsource.serializer.jackson.JacksonSerializer}; with another
 * serializer, upcaster beans fail start-up with {@link UpcastersNotSupportedException}). Once every event class is
 * bound, by the repositories and the projections, the chains are checked: a gap, two upcasters for one step, an
 * upcaster ahead of its class, a cycle or an upcaster of an alias fails start-up with an
 * {@link dev.eventsource.InvalidUpcasterException}, before any subscription starts reading.
 *
 * <p>It has no class condition of its own: eventsource-core, which it configures, is one of its dependencies. The
 * integrations have theirs, on their optional dependencies: the JDBC store on spring-jdbc and spring-boot-jdbc,
 * metrics on Micrometer, the batch transactions of subscriptions on spring-tx.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@EnableConfigurationProperties(EventSourceProperties.class)
@Import({ DatabaseInitializationDependencyConfigurer.class, SerializerConfiguration.class,
        JdbcStoreConfiguration.class, MemoryStoreConfiguration.class, SnapshotConfiguration.class,
        MetricsConfiguration.class, SubscriptionConfiguration.class })
public final class EventSourceAutoConfiguration {

    /** The name of the {@link RepositoryFactory} bean, whose {@code create} method makes each repository bean. */
    static final String REPOSITORY_FACTORY_BEAN = "eventSourceRepositoryFactory";

    EventSourceAutoConfiguration() {
    }

    @Bean
    static AggregateRepositoryRegistrar eventSourceAggregateRepositoryRegistrar(Environment environment,
            ResourceLoader resourceLoader) {
        return new AggregateRepositoryRegistrar(environment, resourceLoader);
    }

    @Bean(REPOSITORY_FACTORY_BEAN)
    RepositoryFactory eventSourceRepositoryFactory(Store store, Serializer serializer,
            ObjectProvider<RepositoryMetrics> metrics, ObjectProvider<Observer> observers,
            ApplicationEventPublisher publisher, EventSourceProperties properties,
            ObjectProvider<RepositoryCustomizer> customizers, ObjectProvider<EventSourceProjections> projections,
            ObjectProvider<SnapshotStore> snapshotStores, ObjectProvider<SnapshotExecutor> snapshotExecutor) {
        return new RepositoryFactory(store, serializer, metrics.getIfAvailable(() -> RepositoryMetrics.NONE),
                new ObserverDispatcher(projections, observers, publisher), properties.getRepository().backoff(),
                customizers, new RepositoryFactory.Snapshots(new SnapshotSettings(properties.getSnapshots()),
                        snapshotStores, snapshotExecutor));
    }
}
