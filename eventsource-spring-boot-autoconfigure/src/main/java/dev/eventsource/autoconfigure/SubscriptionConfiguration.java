package dev.eventsource.autoconfigure;

import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.BatchTransaction;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.MemoryCheckpointStore;
import dev.eventsource.subscription.SubscriptionMetrics;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Projections and their subscriptions: the checkpoint store (the {@code <events table>_checkpoints} table on the
 * application's DataSource with the JDBC store, memory otherwise), a transaction per batch when a transaction
 * manager exists, and {@link EventSourceProjections}.
 */
@Configuration(proxyBeanMethods = false)
class SubscriptionConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CheckpointStore eventSourceCheckpointStore(Store store) {
        // The JDBC store's DataSource is transaction-aware: checkpoints commit with the batch's read-model writes.
        return (store instanceof JdbcStore jdbc) ? JdbcCheckpointStore.of(jdbc) : new MemoryCheckpointStore();
    }

    @Bean
    @ConditionalOnMissingBean
    EventSourceProjections eventSourceProjections(ListableBeanFactory beans, Store store, Serializer serializer,
            CheckpointStore checkpoints, ObjectProvider<SubscriptionMetrics> metrics,
            ObjectProvider<BatchTransaction> transaction, EventSourceProperties properties) {
        return new EventSourceProjections(beans, store, serializer, checkpoints,
                metrics.getIfAvailable(() -> SubscriptionMetrics.NONE),
                transaction.getIfAvailable(() -> BatchTransaction.NONE), properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(PlatformTransactionManager.class)
    static class BatchTransactionConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnSingleCandidate(PlatformTransactionManager.class)
        BatchTransaction eventSourceBatchTransaction(PlatformTransactionManager transactionManager) {
            TransactionTemplate template = new TransactionTemplate(transactionManager);
            return (work) -> template.executeWithoutResult((status) -> work.run());
        }
    }
}
