package dev.eventsource.store.memory;

import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Store;
import dev.eventsource.test.StoreContractTests;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The memory store passes the whole store contract when every call runs in a transaction of its own, committed
 * when the call returns and rolled back when it throws: appends go through the transaction's buffer, the append
 * lock and the publication at commit.
 */
class TransactionalMemoryStoreContractTests extends StoreContractTests {

    @Override
    protected Store newStore() {
        return new EachCallInATransaction(new PerThreadTransactions());
    }

    /** A store that wraps each call to a transactional memory store in a transaction. */
    private static final class EachCallInATransaction implements Store {

        private final PerThreadTransactions transactions;
        private final MemoryStore store;

        EachCallInATransaction(PerThreadTransactions transactions) {
            this.transactions = transactions;
            this.store = new MemoryStore(transactions);
        }

        @Override
        public boolean save(String aggregateId, List<Record> records) {
            return transactions.inTransaction(() -> store.save(aggregateId, records));
        }

        @Override
        public History load(String aggregateId, long fromVersion, long toVersion) {
            return transactions.inTransaction(() -> store.load(aggregateId, fromVersion, toVersion));
        }

        @Override
        public List<Record> readAll(long afterPosition, int limit) {
            return transactions.inTransaction(() -> store.readAll(afterPosition, limit));
        }

        @Override
        public long lastPosition() {
            return transactions.inTransaction(store::lastPosition);
        }
    }

    /** At most one transaction per thread, with its participants; no suspension. */
    private static final class PerThreadTransactions implements TransactionContext {

        private final ThreadLocal<Map<Object, Participant>> current = new ThreadLocal<>();

        <T> T inTransaction(Supplier<T> work) {
            Map<Object, Participant> participants = new LinkedHashMap<>();
            current.set(participants);
            boolean committed = false;
            try {
                T result = work.get();
                committed = true;
                return result;
            } finally {
                current.remove();
                if (committed) {
                    participants.values().forEach(Participant::afterCommit);
                }
                for (Participant participant : participants.values()) {
                    participant.afterCompletion(committed);
                }
            }
        }

        @Override
        public boolean isActive() {
            return current.get() != null;
        }

        @Override
        public Participant participant(Object key) {
            Map<Object, Participant> participants = current.get();
            return participants == null ? null : participants.get(key);
        }

        @Override
        public void register(Object key, Participant participant) {
            current.get().put(key, participant);
        }
    }
}
