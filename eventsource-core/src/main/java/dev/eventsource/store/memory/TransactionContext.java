package dev.eventsource.store.memory;

import org.jspecify.annotations.Nullable;

/**
 * How a {@link MemoryStore} finds the transaction of the calling thread, so that its appends commit and roll back
 * with it: the bridge to a transaction manager (Spring's, in the auto-configuration) that keeps the core free of
 * one. An implementation keeps, per transaction, the participants registered with it and calls them back when the
 * transaction ends.
 *
 * <p>Rules an implementation must keep:
 * <ul>
 *   <li>{@link #participant} finds a participant only in the transaction it was registered with, and only while
 *       that transaction is the calling thread's current one: not after it completed, and not while it is
 *       suspended by an inner, independent transaction.</li>
 *   <li>Every registered participant gets exactly one {@link Participant#afterCompletion} call, committed or not,
 *       even when another participant's callback throws. {@link Participant#afterCommit} comes before it, after
 *       the commit, and may be skipped when an earlier callback failed.</li>
 * </ul>
 */
public interface TransactionContext {

    /** No transactions: every append stands alone, as in a {@link MemoryStore} built without a context. */
    TransactionContext NONE = new TransactionContext() {
        @Override
        public boolean isActive() {
            return false;
        }

        @Override
        public @Nullable Participant participant(Object key) {
            return null;
        }

        @Override
        public void register(Object key, Participant participant) {
            throw new IllegalStateException("No transaction is active: TransactionContext.NONE never has one");
        }
    };

    /**
     * Tells whether the calling thread runs inside a transaction that will call registered participants back.
     *
     * @return {@code true} when a transaction is active on this thread
     */
    boolean isActive();

    /**
     * Finds the participant registered under a key with the calling thread's current transaction.
     *
     * @param key what the participant was registered under (a store uses itself)
     * @return the participant, or {@code null} when there is none or no transaction is active
     */
    @Nullable Participant participant(Object key);

    /**
     * Registers a participant with the calling thread's current transaction: {@link #participant} finds it under
     * the key until the transaction completes, and it is called back at commit and at completion.
     *
     * @param key what to find the participant by
     * @param participant the participant
     * @throws IllegalStateException when no transaction is active
     */
    void register(Object key, Participant participant);

    /** What takes part in a transaction: told when it committed and when it ended. */
    interface Participant {

        /** Called after the transaction committed, before {@link #afterCompletion}; may be skipped, see above. */
        void afterCommit();

        /**
         * Called once when the transaction ended, whether it committed or rolled back.
         *
         * @param committed whether it committed; {@code false} after a rollback or an unknown outcome
         */
        void afterCompletion(boolean committed);
    }
}
