package dev.eventsource.autoconfigure;

import dev.eventsource.Serializer;
import dev.eventsource.SnapshotStore;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.EventSourceProperties.StoreType;
import dev.eventsource.store.jdbc.JdbcSchemaCheck;
import dev.eventsource.store.jdbc.JdbcSnapshotStore;
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
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@link JdbcStore} on the application's DataSource, joining Spring-managed transactions, the
 * {@link JdbcSnapshotStore} beside it, its schema initializer and its start-up check of the tables; when
 * {@code eventsource.store.type} is {@code auto} or {@code jdbc} and the context has a DataSource. With several, the one qualified {@link EventSourceDataSource}, else
 * the primary one; when neither exists start-up fails rather than keeping events in memory.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(value = TransactionAwareDataSourceProxy.class,
        name = JdbcStoreConfiguration.SPRING_BOOT_JDBC_CLASS)
@Conditional(JdbcStoreConfiguration.OnJdbcStoreTypeCondition.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnMissingBean(Store.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
class JdbcStoreConfiguration {

    private static final Log LOG = LogFactory.getLog(JdbcStoreConfiguration.class);

    /** A class of spring-boot-jdbc, whose schema initialization the JDBC store uses. */
    static final String SPRING_BOOT_JDBC_CLASS = "org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer";

    /** A class of spring-jdbc, whose transaction-aware DataSource the JDBC store uses. */
    static final String SPRING_JDBC_CLASS = "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy";

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
        if ("h2".equals(check.platform())) {
            warnIfH2DelaysWrites(dataSource);
        }
        return store;
    }

    @Bean
    @ConditionalOnMissingBean(SnapshotStore.class)
    JdbcSnapshotStore eventSourceSnapshotStore(JdbcStore store) {
        return JdbcSnapshotStore.of(store);
    }

    /**
     * Warns when an H2 database kept in files delays writing commits (its default: WRITE_DELAY 500 ms). The store
     * then answers for appends that a crash or {@code kill -9} within that delay loses, although they committed.
     */
    static void warnIfH2DelaysWrites(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet settings = statement.executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            String url = connection.getMetaData().getURL();
            boolean inMemory = url.startsWith("jdbc:h2:mem:") || url.contains("/mem:");
            if (!inMemory && settings.next() && Integer.parseInt(settings.getString(1).trim()) > 0) {
                // The URL is not logged: it may carry credentials.
                LOG.warn("The event store's H2 file database delays writing commits to disk by " + settings.getString(1).trim()
                        + " ms (WRITE_DELAY): events appended within that time are lost if the process crashes or is "
                        + "killed, although their commit succeeded. Add ;WRITE_DELAY=0 to the JDBC URL "
                        + "(spring.datasource.url) so that every commit is on disk before it is acknowledged.");
            }
        }
        catch (SQLException | RuntimeException ex) {
            // Only a warning: a database that does not answer this query is no reason to refuse to start.
            LOG.debug("Could not read the WRITE_DELAY setting of the H2 database", ex);
        }
    }

    @Bean
    CheckpointTableVerifier eventSourceCheckpointTableVerifier(JdbcStore store,
            ObjectProvider<CheckpointStore> checkpoints, ObjectProvider<EventSourceProjections> projections,
            EventSourceProperties properties) {
        return new CheckpointTableVerifier(store, checkpoints, projections, properties.getJdbc().getInitializeSchema());
    }

    /**
     * The schema initializer, a Spring Boot script initializer: with spring-boot-jdbc on the classpath (as the starter
     * brings it); without it the tables come from elsewhere, and the start-up check says which are missing.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer")
    static class SchemaInitializerConfiguration {

        @Bean
        EventSourceSchemaInitializer eventSourceSchemaInitializer(
                @EventSourceDataSource ObjectProvider<DataSource> qualified, ObjectProvider<DataSource> dataSources,
                ListableBeanFactory beans, Serializer serializer, EventSourceProperties properties) {
            DataSource dataSource = eventSourceDataSource(qualified, dataSources, beans, properties);
            return EventSourceSchemaInitializer.of(dataSource, properties.getJdbc(), serializer.format());
        }
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
