package dev.eventsource.autoconfigure.ops;

import java.util.UUID;

/** The endpoint on an in-memory H2 database shared by the contexts of a test. */
class EventSourceEndpointOnH2Tests extends EventSourceEndpointTestBase {

    @Override
    String newDatabaseUrl() {
        return "jdbc:h2:mem:ops-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }
}
