package dev.eventsource.autoconfigure;

import dev.eventsource.SnapshotStore;
import dev.eventsource.store.memory.MemorySnapshotStore;
import dev.eventsource.store.memory.MemoryStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the repositories take snapshots with, unless {@code eventsource.snapshots.enabled=false}: the shared
 * {@link SnapshotExecutor}, and a {@link MemorySnapshotStore} beside the memory store. Processed after the store
 * configurations, so that a store configuration's own {@link SnapshotStore} bean (as the JDBC one declares) and the
 * application's win.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "eventsource.snapshots.enabled", matchIfMissing = true)
class SnapshotConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SnapshotExecutor eventSourceSnapshotExecutor(EventSourceProperties properties) {
        EventSourceProperties.SnapshotExecution executor = properties.getSnapshots().getExecutor();
        return new SnapshotExecutor(executor.getThreads(), executor.getQueueCapacity());
    }

    @Bean
    @ConditionalOnBean(MemoryStore.class)
    @ConditionalOnMissingBean(SnapshotStore.class)
    MemorySnapshotStore eventSourceSnapshotStore() {
        return new MemorySnapshotStore();
    }
}
