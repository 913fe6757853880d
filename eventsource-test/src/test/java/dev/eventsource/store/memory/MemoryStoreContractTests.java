package dev.eventsource.store.memory;

import dev.eventsource.Store;
import dev.eventsource.test.StoreContractTests;

/** The memory store passes the whole store contract. */
class MemoryStoreContractTests extends StoreContractTests {

    @Override
    protected Store newStore() {
        return new MemoryStore();
    }
}
