package dev.eventsource.subscription;

import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Store;
import dev.eventsource.store.memory.MemoryStore;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * A memory store whose reads of the global stream first call a hook with the position read after: the hook records
 * the reads, or throws to fail them as a database that is down would.
 */
final class ReadHookStore implements Store {

    private final MemoryStore memory;
    private final LongConsumer beforeRead;

    ReadHookStore(MemoryStore memory, LongConsumer beforeRead) {
        this.memory = memory;
        this.beforeRead = beforeRead;
    }

    @Override
    public boolean save(String aggregateId, List<Record> records) {
        return memory.save(aggregateId, records);
    }

    @Override
    public History load(String aggregateId, long fromVersion, long toVersion) {
        return memory.load(aggregateId, fromVersion, toVersion);
    }

    @Override
    public List<Record> readAll(long afterPosition, int limit) {
        beforeRead.accept(afterPosition);
        return memory.readAll(afterPosition, limit);
    }

    @Override
    public long lastPosition() {
        return memory.lastPosition();
    }
}
