package dev.eventsource.autoconfigure;

import dev.eventsource.store.memory.TransactionContext;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
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

    /**
     * Runs an action once the current transaction has ended, committed or rolled back, after every after-commit
     * callback (the memory store publishes its appends in one).
     *
     * @return {@code false} when no transaction synchronization is active, and the caller should run it now
     */
    static boolean deferToCompletion(Runnable action) {
        return AVAILABLE && Synchronizations.afterCompletion(action);
    }

    /**
     * The transactions of a {@link dev.eventsource.store.memory.MemoryStore} in a Spring application.
     *
     * @return a context on Spring's transaction synchronization, or {@link TransactionContext#NONE} without spring-tx
     */
    static TransactionContext memoryStoreContext() {
        return AVAILABLE ? new SynchronizationContext() : TransactionContext.NONE;
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

        static boolean afterCompletion(Runnable action) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()
                    || !TransactionSynchronizationManager.isActualTransactionActive()) {
                return false;
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    action.run();
                }
            });
            return true;
        }
    }

    /**
     * A {@link TransactionContext} on {@link TransactionSynchronizationManager}: a participant is bound as a
     * transaction resource and called back by a synchronization, which unbinds it while its transaction is
     * suspended (an inner {@code REQUIRES_NEW} or {@code NOT_SUPPORTED} method does not see it) and at completion.
     * Without active synchronization (a transaction manager set to never synchronize) there is no transaction to
     * join, and appends are stored at once.
     */
    private static final class SynchronizationContext implements TransactionContext {

        @Override
        public boolean isActive() {
            return TransactionSynchronizationManager.isSynchronizationActive()
                    && TransactionSynchronizationManager.isActualTransactionActive();
        }

        @Override
        public @Nullable Participant participant(Object key) {
            return isActive() && TransactionSynchronizationManager.getResource(key) instanceof Participant participant
                    ? participant : null;
        }

        @Override
        public void register(Object key, Participant participant) {
            if (!isActive()) {
                throw new IllegalStateException("No Spring-managed transaction with synchronization is active");
            }
            TransactionSynchronizationManager.bindResource(key, participant);
            try {
                TransactionSynchronizationManager.registerSynchronization(
                        new ParticipantSynchronization(key, participant));
            } catch (RuntimeException e) {
                TransactionSynchronizationManager.unbindResourceIfPossible(key);
                throw e;
            }
        }
    }

    /** Calls a participant back; ordered first, so that the store publishes before observers run after commit. */
    private record ParticipantSynchronization(Object key, TransactionContext.Participant participant)
            implements TransactionSynchronization {

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResourceIfPossible(this.key);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(this.key, this.participant);
        }

        @Override
        public void afterCommit() {
            this.participant.afterCommit();
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(this.key);
            this.participant.afterCompletion(status == STATUS_COMMITTED);
        }
    }
}
