package dev.eventsource.autoconfigure;

import dev.eventsource.Store;
import dev.eventsource.autoconfigure.EventSourceProperties.StoreType;
import dev.eventsource.store.memory.MemoryStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

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
    MemoryStore eventSourceStore(EventSourceProperties properties, ObjectProvider<DataSource> dataSources,
            ResourceLoader resourceLoader) {
        String missingModules = missingJdbcModules(resourceLoader.getClassLoader());
        if (properties.getStore().getType() == StoreType.JDBC) {
            // The JDBC configuration did not match; say why instead of silently keeping events in memory.
            throw new JdbcStoreUnavailableException((missingModules != null) ? missingModules + " not on the classpath"
                    : "the application context has no single DataSource");
        }
        boolean hasDataSource = dataSources.stream().findAny().isPresent();
        if (properties.getStore().getType() == StoreType.AUTO && hasDataSource && missingModules != null) {
            // A DataSource says the application means to keep data in a database; events kept in memory instead
            // would be acknowledged and then lost at the next stop.
            throw new JdbcStoreUnavailableException("auto", "the application context has a DataSource and "
                    + missingModules + " not on the classpath, so the JDBC store cannot be created; the events "
                    + "would be kept in memory and lost when the application stops");
        }
        String reason = (properties.getStore().getType() == StoreType.MEMORY) ? "eventsource.store.type=memory"
                : !hasDataSource ? "the application context has no DataSource" : "the JDBC store did not match";
        LOG.info("Event store: in memory, events are lost when the application stops (" + reason + ")");
        return new MemoryStore(SpringTransactions.memoryStoreContext());
    }

    /** The modules the JDBC store needs that the classpath lacks, as "x is" / "x and y are"; null when none is. */
    private static @Nullable String missingJdbcModules(@Nullable ClassLoader classLoader) {
        boolean springJdbc = ClassUtils.isPresent(JdbcStoreConfiguration.SPRING_JDBC_CLASS, classLoader);
        boolean springBootJdbc = ClassUtils.isPresent(JdbcStoreConfiguration.SPRING_BOOT_JDBC_CLASS, classLoader);
        if (springJdbc && springBootJdbc) {
            return null;
        }
        String jdbc = "spring-jdbc (org.springframework:spring-jdbc)";
        String bootJdbc = "spring-boot-jdbc (org.springframework.boot:spring-boot-jdbc)";
        return (!springJdbc && !springBootJdbc) ? jdbc + " and " + bootJdbc + " are"
                : (springJdbc ? bootJdbc : jdbc) + " is";
    }
}
