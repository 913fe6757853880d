package dev.eventsource.autoconfigure;

import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.EventSourceProperties.StoreType;
import dev.eventsource.store.jdbc.JdbcStore;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.DataSource;
import java.util.Locale;

/**
 * The {@link JdbcStore} on the application's DataSource, joining Spring-managed transactions, and its schema
 * initializer; when {@code eventsource.store.type} is {@code auto} or {@code jdbc} and the context has a single
 * DataSource.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(TransactionAwareDataSourceProxy.class)
@Conditional(JdbcStoreConfiguration.OnJdbcStoreTypeCondition.class)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnMissingBean(Store.class)
class JdbcStoreConfiguration {

    @Bean
    JdbcStore eventSourceStore(DataSource dataSource, Serializer serializer, EventSourceProperties properties) {
        // Through the proxy, a connection bound to a Spring transaction is used (and not committed) by the store.
        DataSource transactional = (dataSource instanceof TransactionAwareDataSourceProxy) ? dataSource
                : new TransactionAwareDataSourceProxy(dataSource);
        return builder(transactional, serializer, properties.getJdbc()).build();
    }

    @Bean
    EventSourceSchemaInitializer eventSourceSchemaInitializer(DataSource dataSource, Serializer serializer,
            EventSourceProperties properties) {
        EventSourceProperties.Jdbc jdbc = properties.getJdbc();
        return new EventSourceSchemaInitializer(dataSource, jdbc.getInitializeSchema(),
                () -> builder(dataSource, serializer, jdbc).build());
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
