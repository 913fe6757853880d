package dev.eventsource.autoconfigure;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Defers work to after the commit of the current Spring-managed transaction; a separate class so that
 * {@link ObserverDispatcher} loads without spring-tx.
 */
final class AfterCommit {

    private AfterCommit() {
    }

    /**
     * Runs an action after the current transaction commits, never when it rolls back.
     *
     * @return {@code false} when no transaction synchronization is active, and the caller should run it now
     */
    static boolean defer(Runnable action) {
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
