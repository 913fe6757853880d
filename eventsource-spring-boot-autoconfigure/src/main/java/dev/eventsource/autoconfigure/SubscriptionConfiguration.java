package dev.eventsource.autoconfigure;

import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.BatchTransaction;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.MemoryCheckpointStore;
import dev.eventsource.subscription.MemoryDeadLetterStore;
import dev.eventsource.subscription.SubscriptionMetrics;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.subscription.jdbc.JdbcDeadLetterStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ClassUtils;

import javax.sql.DataSource;

/**
 * Projections and their subscriptions: the checkpoint and dead-letter stores (the {@code <events table>_checkpoints}
 * and {@code <events table>_dead_letters} tables on the application's DataSource with the JDBC store, memory
 * otherwise), a transaction per batch when a transaction
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
    DeadLetterStore eventSourceDeadLetterStore(Store store) {
        // On the same transaction-aware DataSource: a dead letter commits with the checkpoint that passes its event.
        return (store instanceof JdbcStore jdbc) ? JdbcDeadLetterStore.of(jdbc) : new MemoryDeadLetterStore();
    }

    @Bean
    @ConditionalOnMissingBean
    EventSourceProjections eventSourceProjections(ListableBeanFactory beans, Store store, Serializer serializer,
            CheckpointStore checkpoints, DeadLetterStore deadLetters, ObjectProvider<SubscriptionMetrics> metrics,
            ObjectProvider<BatchTransaction> transaction, EventSourceProperties properties) {
        return new EventSourceProjections(beans, store, serializer, checkpoints, deadLetters,
                metrics.getIfAvailable(() -> SubscriptionMetrics.NONE),
                transaction.getIfAvailable(() -> BatchTransaction.NONE), properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(PlatformTransactionManager.class)
    static class BatchTransactionConfiguration {

        private static final Log LOG = LogFactory.getLog(BatchTransactionConfiguration.class);

        private static final boolean SPRING_JDBC = ClassUtils.isPresent(
                "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy",
                BatchTransactionConfiguration.class.getClassLoader());

        /**
         * A transaction per batch in the {@link EventSourceTransactionManager}, else the only or primary transaction
         * manager; none when several leave the choice open.
         */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(PlatformTransactionManager.class)
        BatchTransaction eventSourceBatchTransaction(
                @EventSourceTransactionManager ObjectProvider<PlatformTransactionManager> qualified,
                ObjectProvider<PlatformTransactionManager> transactionManagers, Store store) {
            PlatformTransactionManager transactionManager = qualified.getIfAvailable(transactionManagers::getIfUnique);
            if (transactionManager == null) {
                LOG.warn("Subscriptions run their batches without a transaction: the application context has several"
                        + " transaction managers, none @Primary or qualified @EventSourceTransactionManager");
                return BatchTransaction.NONE;
            }
            warnIfCheckpointsCommitApart(transactionManager, store);
            TransactionTemplate template = new TransactionTemplate(transactionManager);
            return (work) -> template.executeWithoutResult((status) -> work.run());
        }

        /** Warns when the checkpoints go to another DataSource than the one the transaction manager commits. */
        private static void warnIfCheckpointsCommitApart(PlatformTransactionManager transactionManager, Store store) {
            if (SPRING_JDBC && store instanceof JdbcStore jdbc
                    && transactionManager instanceof ResourceTransactionManager resources
                    && resources.getResourceFactory() instanceof DataSource managed) {
                DataSource events = jdbc.dataSource();
                if (events instanceof TransactionAwareDataSourceProxy proxy && proxy.getTargetDataSource() != null) {
                    events = proxy.getTargetDataSource();
                }
                if (managed != events) {
                    LOG.warn("Subscriptions run their batches in a transaction of another DataSource than the"
                            + " events': checkpoints commit apart from the read-model writes of that transaction, so"
                            + " a failure between the two commits can skip a batch. Qualify the transaction"
                            + " manager of the @EventSourceDataSource with @EventSourceTransactionManager");
                }
            }
        }
    }
}
