package dev.eventsource.store.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain {@link TransactionContext} for tests: transactions per thread, begun, committed and rolled back by hand,
 * with callbacks in the order Spring's synchronization makes them (every {@code afterCommit}, stopping at the first
 * that throws, then every {@code afterCompletion}, whose failures are swallowed after the first is kept).
 */
final class ThreadTransactions implements TransactionContext {

    /** On a thread's stack: a stretch without a transaction, while the ones below are suspended. */
    private static final Transaction NO_TRANSACTION = new Transaction();

    /** Per thread, the current transaction on top of the ones it suspended. */
    private final ThreadLocal<Deque<Transaction>> stacks = ThreadLocal.withInitial(ArrayDeque::new);

    /** One transaction: its participants in registration order. */
    static final class Transaction {
        final Map<Object, Participant> participants = new LinkedHashMap<>();
    }

    /** Begins a transaction on this thread, suspending the current one if any (as REQUIRES_NEW). */
    Transaction begin() {
        Transaction transaction = new Transaction();
        stacks.get().push(transaction);
        return transaction;
    }

    /** Suspends the current transaction and runs without one (as NOT_SUPPORTED) until {@link #resume}. */
    void suspend() {
        stacks.get().push(NO_TRANSACTION);
    }

    /** Ends the stretch without a transaction that {@link #suspend} began. */
    void resume() {
        stacks.get().pop();
    }

    /** Commits the current transaction of this thread and resumes the one it suspended. */
    void commit() {
        end(stacks.get().pop(), true);
    }

    /** Rolls back the current transaction of this thread and resumes the one it suspended. */
    void rollback() {
        end(stacks.get().pop(), false);
    }

    /** Ends a transaction on whichever thread calls this (a transaction manager may end one on another thread). */
    static void end(Transaction transaction, boolean committed) {
        List<Participant> participants = new ArrayList<>(transaction.participants.values());
        transaction.participants.clear();
        RuntimeException failure = null;
        if (committed) {
            try {
                for (Participant participant : participants) {
                    participant.afterCommit();
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        for (Participant participant : participants) {
            try {
                participant.afterCompletion(committed);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Takes the current transaction off this thread without ending it, for {@link #end} on another thread. */
    Transaction detach() {
        return stacks.get().pop();
    }

    private Transaction current() {
        Transaction top = stacks.get().peek();
        return top == NO_TRANSACTION ? null : top;
    }

    @Override
    public boolean isActive() {
        return current() != null;
    }

    @Override
    public Participant participant(Object key) {
        Transaction transaction = current();
        return transaction == null ? null : transaction.participants.get(key);
    }

    @Override
    public void register(Object key, Participant participant) {
        Transaction transaction = current();
        if (transaction == null) {
            throw new IllegalStateException("no transaction");
        }
        transaction.participants.put(key, participant);
    }
}
