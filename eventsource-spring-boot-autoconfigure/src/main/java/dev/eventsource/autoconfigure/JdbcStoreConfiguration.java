package dev.eventsource.autoconfigure;

import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.EventSourceProperties.StoreType;
import dev.eventsource.store.jdbc.JdbcSchemaCheck;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.CheckpointStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.DataSource;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@link JdbcStore} on the application's DataSource, joining Spring-managed transactions, its schema
 * initializer and its start-up check of the tables; when {@code eventsource.store.type} is {@code auto} or
 * {@code jdbc} and the context has a DataSource. With several, the one qualified {@link EventSourceDataSource}, else
 * the primary one; when neither exists start-up fails rather than keeping events in memory.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(TransactionAwareDataSourceProxy.class)
@Conditional(JdbcStoreConfiguration.OnJdbcStoreTypeCondition.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnMissingBean(Store.class)
class JdbcStoreConfiguration {

    private static final Log LOG = LogFactory.getLog(JdbcStoreConfiguration.class);

    @Bean
    JdbcStore eventSourceStore(@EventSourceDataSource ObjectProvider<DataSource> qualified,
            ObjectProvider<DataSource> dataSources, ListableBeanFactory beans, Serializer serializer,
            EventSourceProperties properties) {
        DataSource dataSource = eventSourceDataSource(qualified, dataSources, beans, properties);
        // Through the proxy, a connection bound to a Spring transaction is used (and not committed) by the store.
        DataSource transactional = (dataSource instanceof TransactionAwareDataSourceProxy) ? dataSource
                : new TransactionAwareDataSourceProxy(dataSource);
        JdbcStore store = builder(transactional, serializer, properties.getJdbc()).build();
        // This bean waits for schema initialization, Flyway and Liquibase (see
        // JdbcStoreDependsOnDatabaseInitializationDetector), so the tables are checked as start-up leaves them.
        JdbcSchemaCheck check = store.verifySchema(false);
        if (!check.isComplete()) {
            throw new IncompleteSchemaException(check, properties.getJdbc().getInitializeSchema());
        }
        LOG.info("Event store: JDBC, table " + store.tableName() + " on " + check.platform() + ", "
                + store.payloadFormat().name().toLowerCase(Locale.ROOT) + " payloads");
        return store;
    }

    @Bean
    EventSourceSchemaInitializer eventSourceSchemaInitializer(@EventSourceDataSource ObjectProvider<DataSource> qualified,
            ObjectProvider<DataSource> dataSources, ListableBeanFactory beans, Serializer serializer,
            EventSourceProperties properties) {
        DataSource dataSource = eventSourceDataSource(qualified, dataSources, beans, properties);
        EventSourceProperties.Jdbc jdbc = properties.getJdbc();
        return new EventSourceSchemaInitializer(dataSource, jdbc.getInitializeSchema(),
                () -> builder(dataSource, serializer, jdbc).build());
    }

    @Bean
    CheckpointTableVerifier eventSourceCheckpointTableVerifier(JdbcStore store,
            ObjectProvider<CheckpointStore> checkpoints, ObjectProvider<EventSourceProjections> projections,
            EventSourceProperties properties) {
        return new CheckpointTableVerifier(store, checkpoints, projections, properties.getJdbc().getInitializeSchema());
    }

    /** Resolves the DataSource of the events as Spring Boot does for Flyway: the qualified one, else the unique one. */
    private static DataSource eventSourceDataSource(ObjectProvider<DataSource> qualified,
            ObjectProvider<DataSource> dataSources, ListableBeanFactory beans, EventSourceProperties properties) {
        DataSource dataSource = qualified.getIfAvailable(dataSources::getIfUnique);
        if (dataSource == null) {
            throw new NoUniqueDataSourceException(properties.getStore().getType().name().toLowerCase(Locale.ROOT),
                    Arrays.asList(beans.getBeanNamesForType(DataSource.class)));
        }
        return dataSource;
    }

    private static JdbcStore.Builder builder(DataSource dataSource, Serializer serializer,
            EventSourceProperties.Jdbc jdbc) {
        return JdbcStore.builder(dataSource)
            .tableName(jdbc.getTableName())
            .dialect(jdbc.dialect())
            .payloadFormat(serializer.format());
    }

    /** Matches when {@code eventsource.store.type} is {@code auto} (the default) or {@code jdbc}. */
    static class OnJdbcStoreTypeCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            StoreType type = Binder.get(context.getEnvironment())
                .bind("eventsource.store.type", StoreType.class)
                .orElse(StoreType.AUTO);
            return (type == StoreType.MEMORY) ? ConditionOutcome.noMatch("eventsource.store.type is memory")
                    : ConditionOutcome.match("eventsource.store.type is " + type.name().toLowerCase(Locale.ROOT));
        }
    }
}
