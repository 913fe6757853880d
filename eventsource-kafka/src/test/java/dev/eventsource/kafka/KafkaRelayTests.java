package dev.eventsource.kafka;

import org.junit.jupiter.api.Nested;

/** {@link KafkaRelayTestBase} on H2, embedded PostgreSQL and (when configured) MariaDB. */
class KafkaRelayTests {

    @Nested
    class OnH2 extends KafkaRelayTestBase {
        @Override
        TestDatabase.Kind kind() {
            return TestDatabase.Kind.H2;
        }
    }

    @Nested
    class OnPostgres extends KafkaRelayTestBase {
        @Override
        TestDatabase.Kind kind() {
            return TestDatabase.Kind.POSTGRESQL;
        }
    }

    @Nested
    class OnMariaDb extends KafkaRelayTestBase {
        @Override
        TestDatabase.Kind kind() {
            return TestDatabase.Kind.MARIADB;
        }
    }
}
