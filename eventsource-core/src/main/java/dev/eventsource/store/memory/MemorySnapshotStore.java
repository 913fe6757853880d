package dev.eventsource.store.memory;

import dev.eventsource.Snapshot;
import dev.eventsource.SnapshotStore;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link SnapshotStore} in memory: the latest snapshot per aggregate, for tests and the memory store. */
public final class MemorySnapshotStore implements SnapshotStore {

    private final Map<Key, Snapshot> snapshots = new ConcurrentHashMap<>();

    @Override
    public @Nullable Snapshot load(String aggregateType, String aggregateId) {
        Snapshot snapshot = snapshots.get(new Key(aggregateType, aggregateId));
        return snapshot == null ? null : copy(snapshot);
    }

    @Override
    public boolean save(Snapshot snapshot) {
        Snapshot copy = copy(snapshot);
        boolean[] stored = {false};
        snapshots.compute(new Key(snapshot.aggregateType(), snapshot.aggregateId()), (key, existing) -> {
            if (existing != null && existing.version() >= copy.version()) {
                return existing;
            }
            stored[0] = true;
            return copy;
        });
        return stored[0];
    }

    @Override
    public int deleteAll(String aggregateType) {
        int[] deleted = {0};
        snapshots.keySet().removeIf(key -> {
            boolean match = key.aggregateType.equals(aggregateType);
            if (match) {
                deleted[0]++;
            }
            return match;
        });
        return deleted[0];
    }

    /** @return how many snapshots are kept */
    public int size() {
        return snapshots.size();
    }

    private static Snapshot copy(Snapshot snapshot) {
        return new Snapshot(snapshot.aggregateType(), snapshot.aggregateId(), snapshot.version(),
                snapshot.fingerprint(), snapshot.revision(), snapshot.takenAt(), snapshot.data().clone());
    }

    private record Key(String aggregateType, String aggregateId) {
    }
}
