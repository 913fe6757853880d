package dev.eventsource.store.memory;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.EventSourceException;
import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Store;
import dev.eventsource.internal.Batches;
import dev.eventsource.internal.IdenticalRecords;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A thread-safe store in memory, for tests and prototypes: everything is lost when the process ends. Keeps the
 * same rules as every store: typed streams, atomic batches, conflicts, idempotent re-saves, and a global stream
 * whose positions follow commit order (appends are serialised by one lock).
 *
 * <h2>Transactions</h2>
 * Built without a {@link TransactionContext} (or with {@link TransactionContext#NONE}) every append is stored and
 * visible the moment {@link #save} returns. Built with one (the Spring Boot auto-configuration passes one on
 * Spring's transaction synchronization), an append made while a transaction is active on the calling thread joins
 * it, as the JDBC store's appends join the caller's connection:
 * <ul>
 *   <li>the transaction's first append takes the store's append lock and holds it until the transaction ends, so
 *       positions follow commit order and every version check is made against a history no one else can change
 *       meanwhile (a command retried after a conflict in the same transaction reloads the latest committed state
 *       and succeeds);</li>
 *   <li>its records are kept aside: {@link #load} in the same transaction sees them after the committed ones
 *       (with position 0, as positions are assigned at commit), other threads do not;</li>
 *   <li>a conflict or an identical re-save is decided against the committed history plus the transaction's own
 *       records;</li>
 *   <li>at commit the records are stored, with positions in commit order; at rollback they are dropped; either
 *       way the lock is released. {@link #readAll} and {@link #lastPosition} only ever show committed records.</li>
 * </ul>
 * A transaction that only loads takes no lock. Appends without a transaction take the lock for their own duration,
 * as before.
 *
 * <p>The cost is the JDBC store's: appends serialise for as long as the appending transaction lasts, so keep
 * transactions that append short. A thread that appends in an inner, independent transaction (Spring's
 * {@code REQUIRES_NEW}, or {@code NOT_SUPPORTED}) while its suspended outer transaction holds the lock would wait
 * for itself forever; the store refuses that append with an {@link EventSourceException} instead. Two threads
 * whose transactions wait for each other through another resource (a database row one holds while waiting for the
 * append lock the other holds) deadlock as they would on the JDBC store's lock.
 */
public final class MemoryStore implements Store {

    private final TransactionContext transactions;
    /**
     * Serialises appenders, held by a transaction from its first append until it ends; a semaphore rather than a
     * lock because the transaction may end on another thread than the one that appended.
     */
    private final Semaphore appendLock = new Semaphore(1, true);
    /** The thread that took {@link #appendLock}, to refuse an append that would wait for itself. */
    private volatile @Nullable Thread appendLockHolder;
    /** Guards the committed state below; held only for moments, readers never wait for an appending transaction. */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, List<Record>> aggregates = new HashMap<>();
    private final List<Record> stream = new ArrayList<>();

    /** Creates an empty store whose appends are stored at once, outside any transaction. */
    public MemoryStore() {
        this(TransactionContext.NONE);
    }

    /**
     * Creates an empty store whose appends join the caller's transaction, found through a context; see the class
     * documentation.
     *
     * @param transactions how to find the calling thread's transaction
     */
    public MemoryStore(TransactionContext transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    @Override
    public boolean save(String aggregateId, List<Record> records) {
        Batches.validate(aggregateId, records);
        if (records.isEmpty()) {
            return true;
        }
        if (transactions == TransactionContext.NONE) {
            // No transaction can ever hold the append lock, so the write lock alone serialises appends.
            return saveNow(aggregateId, records);
        }
        if (transactions.isActive()) {
            return saveInTransaction(aggregateId, records);
        }
        acquireAppendLock(aggregateId);
        try {
            return saveNow(aggregateId, records);
        } finally {
            releaseAppendLock();
        }
    }

    private boolean saveNow(String aggregateId, List<Record> records) {
        lock.writeLock().lock();
        try {
            List<Record> history = aggregates.get(aggregateId);
            if (!continues(aggregateId, history == null ? List.of() : history, records)) {
                return false;
            }
            if (history == null) {
                history = new ArrayList<>();
                aggregates.put(aggregateId, history);
            }
            for (Record record : records) {
                Record stored = copyOf(record, stream.size() + 1L);
                history.add(stored);
                stream.add(stored);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private boolean saveInTransaction(String aggregateId, List<Record> records) {
        Pending pending = pending();
        if (pending == null) {
            pending = new Pending();
            acquireAppendLock(aggregateId);
            try {
                transactions.register(this, pending);
            } catch (RuntimeException | Error e) {
                releaseAppendLock();
                throw e;
            }
        }
        // The lock is held, so the committed history cannot change until this transaction ends.
        if (!continues(aggregateId, pending.history(aggregateId), records)) {
            return false;
        }
        pending.add(aggregateId, records);
        return true;
    }

    /**
     * Decides an append against the history it must continue.
     *
     * @return {@code true} to append; {@code false} when exactly these records are already in the history
     * @throws ConcurrencyConflictException when the records neither continue the history nor are in it
     */
    private static boolean continues(String aggregateId, List<Record> history, List<Record> records) {
        if (!history.isEmpty() && !history.get(0).aggregateType().equals(records.get(0).aggregateType())) {
            throw Batches.wrongStreamType(records, history.get(0).aggregateType());
        }
        long current = history.size();
        long first = records.get(0).version();
        if (first == current + 1) {
            return true;
        }
        if (isStored(history, records)) {
            return false;
        }
        throw new ConcurrencyConflictException(aggregateId, first - 1, current);
    }

    /** @return the calling thread's transaction's own records in this store, or null when it appended none */
    private @Nullable Pending pending() {
        return transactions.participant(this) instanceof Pending pending ? pending : null;
    }

    private void acquireAppendLock(String aggregateId) {
        Thread current = Thread.currentThread();
        if (appendLockHolder != current) {
            appendLock.acquireUninterruptibly();
        } else if (!appendLock.tryAcquire()) {
            throw new EventSourceException("Cannot append to aggregate '" + aggregateId + "' in the memory"
                    + " store: a suspended transaction of this thread appended to the store and holds its append"
                    + " lock until it ends, so this append would wait for itself forever; append in the outer"
                    + " transaction instead of a REQUIRES_NEW or NOT_SUPPORTED one started after it appended");
        }
        appendLockHolder = current;
    }

    private void releaseAppendLock() {
        appendLockHolder = null;
        appendLock.release();
    }

    @Override
    public History load(String aggregateId, long fromVersion, long toVersion) {
        Batches.validateRange(aggregateId, fromVersion, toVersion);
        Pending pending = pending();
        if (pending != null) {
            return slice(aggregateId, pending.history(aggregateId), fromVersion, toVersion);
        }
        lock.readLock().lock();
        try {
            return slice(aggregateId, aggregates.get(aggregateId), fromVersion, toVersion);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static History slice(String aggregateId, List<Record> history, long fromVersion, long toVersion) {
        if (history == null || history.isEmpty()) {
            throw new AggregateNotFoundException(aggregateId);
        }
        int from = (int) Math.min(history.size(), Math.max(0, fromVersion - 1));
        int to = toVersion == 0 ? history.size() : (int) Math.min(history.size(), toVersion);
        return from >= to ? History.empty() : History.of(copiesOf(history.subList(from, to)));
    }

    @Override
    public List<Record> readAll(long afterPosition, int limit) {
        Batches.validateStreamRead(afterPosition, limit);
        lock.readLock().lock();
        try {
            int from = (int) Math.min(stream.size(), afterPosition);
            int to = (int) Math.min(stream.size(), (long) from + limit);
            return Collections.unmodifiableList(copiesOf(stream.subList(from, to)));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long lastPosition() {
        lock.readLock().lock();
        try {
            return stream.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Records hold their payload in a mutable array; copying on the way in and out keeps the stored history
     * immune to callers that reuse or change those arrays, as a database-backed store is.
     */
    private static Record copyOf(Record record, long position) {
        return new Record(record.aggregateType(), record.aggregateId(), record.version(), record.type(),
                record.revision(), record.at(),
                record.data().clone(), record.metadata(), record.commandId(), position);
    }

    private static List<Record> copiesOf(List<Record> records) {
        List<Record> copies = new ArrayList<>(records.size());
        for (Record record : records) {
            copies.add(copyOf(record, record.position()));
        }
        return copies;
    }

    /**
     * The records one transaction appended, kept aside until it ends. Holds the append lock from its creation until
     * {@link #afterCompletion}; used by the transaction's thread, and at completion by whichever thread ends it.
     */
    private final class Pending implements TransactionContext.Participant {

        /** Per aggregate, in version order; insertion order is the order of the appends, kept at commit. */
        private final Map<String, List<Record>> appended = new LinkedHashMap<>();
        private final List<Record> inOrder = new ArrayList<>();
        private boolean ended;

        /**
         * Takes this participant's monitor before the store's lock, as {@link #publish} does.
         *
         * @return a copy of the committed history of the aggregate followed by this transaction's records, possibly
         *     empty
         */
        synchronized List<Record> history(String aggregateId) {
            List<Record> own = appended.getOrDefault(aggregateId, List.of());
            lock.readLock().lock();
            try {
                List<Record> committed = aggregates.getOrDefault(aggregateId, List.of());
                List<Record> history = new ArrayList<>(committed.size() + own.size());
                history.addAll(committed);
                history.addAll(own);
                return history;
            } finally {
                lock.readLock().unlock();
            }
        }

        synchronized void add(String aggregateId, List<Record> records) {
            if (ended) {
                throw new IllegalStateException("The transaction of this append already ended; nothing was stored");
            }
            List<Record> own = appended.computeIfAbsent(aggregateId, id -> new ArrayList<>());
            for (Record record : records) {
                Record copy = copyOf(record, 0);
                own.add(copy);
                inOrder.add(copy);
            }
        }

        @Override
        public void afterCommit() {
            publish();
        }

        @Override
        public void afterCompletion(boolean committed) {
            try {
                if (committed) {
                    // Normally done by afterCommit already; not when an earlier callback failed and skipped it.
                    publish();
                }
            } finally {
                synchronized (this) {
                    boolean release = !ended;
                    ended = true;
                    appended.clear();
                    inOrder.clear();
                    if (release) {
                        releaseAppendLock();
                    }
                }
            }
        }

        /** Stores the records with positions after all committed ones; does nothing the second time. */
        private synchronized void publish() {
            if (ended || inOrder.isEmpty()) {
                return;
            }
            lock.writeLock().lock();
            try {
                for (Record record : inOrder) {
                    Record stored = record.withPosition(stream.size() + 1L);
                    aggregates.computeIfAbsent(record.aggregateId(), id -> new ArrayList<>()).add(stored);
                    stream.add(stored);
                }
            } finally {
                lock.writeLock().unlock();
            }
            inOrder.clear();
            appended.clear();
        }
    }

    /** @return whether the records are in the history, identical ({@link IdenticalRecords}) */
    private static boolean isStored(List<Record> history, List<Record> records) {
        long first = records.get(0).version();
        long last = records.get(records.size() - 1).version();
        if (first < 1 || last > history.size()) {
            return false;
        }
        // The payloads' format is not known here: equal bytes, or equal parsed JSON.
        return IdenticalRecords.isStored(history.subList((int) first - 1, (int) last), records, null);
    }
}
