package dev.eventsource.store.memory;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Store;
import dev.eventsource.internal.Batches;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A thread-safe store in memory, for tests and prototypes: everything is lost when the process ends. Keeps the
 * same rules as every store: typed streams, atomic batches, conflicts, idempotent re-saves, and a global stream
 * whose positions follow commit order (appends are serialised by one lock).
 */
public final class MemoryStore implements Store {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, List<Record>> aggregates = new HashMap<>();
    private final List<Record> stream = new ArrayList<>();

    @Override
    public boolean save(String aggregateId, List<Record> records) {
        Batches.validate(aggregateId, records);
        if (records.isEmpty()) {
            return true;
        }
        lock.writeLock().lock();
        try {
            List<Record> history = aggregates.get(aggregateId);
            long current = history == null ? 0 : history.size();
            long first = records.get(0).version();
            if (history != null && !history.get(0).aggregateType().equals(records.get(0).aggregateType())) {
                throw Batches.wrongStreamType(records, history.get(0).aggregateType());
            }
            if (first != current + 1) {
                if (history != null && isStored(history, records)) {
                    return false;
                }
                throw new ConcurrencyConflictException(aggregateId, first - 1, current);
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

    @Override
    public History load(String aggregateId, long fromVersion, long toVersion) {
        Batches.validateRange(aggregateId, fromVersion, toVersion);
        lock.readLock().lock();
        try {
            List<Record> history = aggregates.get(aggregateId);
            if (history == null) {
                throw new AggregateNotFoundException(aggregateId);
            }
            int from = (int) Math.min(history.size(), Math.max(0, fromVersion - 1));
            int to = toVersion == 0 ? history.size() : (int) Math.min(history.size(), toVersion);
            return from >= to ? History.empty() : History.of(copiesOf(history.subList(from, to)));
        } finally {
            lock.readLock().unlock();
        }
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
        return new Record(record.aggregateType(), record.aggregateId(), record.version(), record.type(), record.at(),
                record.data().clone(), record.metadata(), record.commandId(), position);
    }

    private static List<Record> copiesOf(List<Record> records) {
        List<Record> copies = new ArrayList<>(records.size());
        for (Record record : records) {
            copies.add(copyOf(record, record.position()));
        }
        return copies;
    }

    private static boolean isStored(List<Record> history, List<Record> records) {
        for (Record record : records) {
            long version = record.version();
            if (version < 1 || version > history.size()) {
                return false;
            }
            Record stored = history.get((int) version - 1);
            if (!stored.type().equals(record.type()) || !Arrays.equals(stored.data(), record.data())) {
                return false;
            }
        }
        return true;
    }
}
