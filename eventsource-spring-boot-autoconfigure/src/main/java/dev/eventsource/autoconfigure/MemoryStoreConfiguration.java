package dev.eventsource.autoconfigure;

import dev.eventsource.Store;
import dev.eventsource.autoconfigure.EventSourceProperties.StoreType;
import dev.eventsource.store.memory.MemoryStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * The in-memory {@link Store}, when no other store was configured; processed after {@link JdbcStoreConfiguration}.
 * Its appends join the caller's Spring-managed transaction: visible at commit, gone after a rollback.
 */
@Configuration(proxyBeanMethods = false)
class MemoryStoreConfiguration {

    private static final Log LOG = LogFactory.getLog(MemoryStoreConfiguration.class);

    // Declared as MemoryStore, so that SnapshotConfiguration's @ConditionalOnBean(MemoryStore.class) sees it.
    @Bean
    @ConditionalOnMissingBean(Store.class)
    MemoryStore eventSourceStore(EventSourceProperties properties, ObjectProvider<DataSource> dataSources) {
        if (properties.getStore().getType() == StoreType.JDBC) {
            // The JDBC configuration did not match; say why instead of silently keeping events in memory.
            throw new JdbcStoreUnavailableException((dataSources.getIfUnique() == null)
                    ? "the application context has no single DataSource"
                    : "spring-jdbc (org.springframework:spring-jdbc) is not on the classpath");
        }
        String reason = (properties.getStore().getType() == StoreType.MEMORY) ? "eventsource.store.type=memory"
                : (dataSources.stream().findAny().isEmpty()) ? "the application context has no DataSource"
                        : "spring-jdbc is not on the classpath";
        LOG.info("Event store: in memory, events are lost when the application stops (" + reason + ")");
        return new MemoryStore(SpringTransactions.memoryStoreContext());
    }
}
