package dev.eventsource.test;

import dev.eventsource.PayloadFormat;
import dev.eventsource.Store;
import dev.eventsource.store.memory.MemoryStore;

/** {@link PastEvents} on the memory store. */
class PastEventsOnMemoryTests extends PastEventsTestBase {

    @Override
    protected Store newStore(PayloadFormat format) {
        return new MemoryStore();
    }
}
