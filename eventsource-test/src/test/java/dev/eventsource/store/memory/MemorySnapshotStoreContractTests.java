package dev.eventsource.store.memory;

import dev.eventsource.SnapshotStore;
import dev.eventsource.test.SnapshotStoreContractTests;

/** The memory snapshot store passes the whole snapshot store contract. */
class MemorySnapshotStoreContractTests extends SnapshotStoreContractTests {

    @Override
    protected SnapshotStore newSnapshotStore() {
        return new MemorySnapshotStore();
    }
}
