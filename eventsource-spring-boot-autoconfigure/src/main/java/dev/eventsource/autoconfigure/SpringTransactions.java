package dev.eventsource.autoconfigure;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * The current Spring-managed transaction, for the classes that must also work without spring-tx on the classpath:
 * this class loads without it, and only its nested class touches spring-tx.
 */
final class SpringTransactions {

    /** Whether spring-tx is on the classpath; without it there is never a Spring-managed transaction. */
    static final boolean AVAILABLE = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            SpringTransactions.class.getClassLoader());

    private SpringTransactions() {
    }

    /** @return whether this thread runs inside an actual Spring-managed transaction */
    static boolean inTransaction() {
        return AVAILABLE && Synchronizations.actualTransactionActive();
    }

    /**
     * Runs an action after the current transaction commits, never when it rolls back.
     *
     * @return {@code false} when no transaction synchronization is active, and the caller should run it now
     */
    static boolean deferToCommit(Runnable action) {
        return AVAILABLE && Synchronizations.afterCommit(action);
    }

    /** Kept apart so that {@link SpringTransactions} loads without spring-tx. */
    private static final class Synchronizations {

        static boolean actualTransactionActive() {
            return TransactionSynchronizationManager.isActualTransactionActive();
        }

        static boolean afterCommit(Runnable action) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()
                    || !TransactionSynchronizationManager.isActualTransactionActive()) {
                return false;
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
            return true;
        }
    }
}
