package dev.eventsource.autoconfigure.ops;

import dev.eventsource.test.jdbc.EmbeddedPostgresServer;

/** The endpoint on embedded PostgreSQL, a new database per test. */
class EventSourceEndpointOnPostgresTests extends EventSourceEndpointTestBase {

    @Override
    String newDatabaseUrl() {
        return EmbeddedPostgresServer.shared().createDatabase("ops").jdbcUrl();
    }
}
