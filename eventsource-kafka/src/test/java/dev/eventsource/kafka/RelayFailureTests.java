package dev.eventsource.kafka;

import org.junit.jupiter.api.Nested;

/** {@link RelayFailureTestBase} on H2, embedded PostgreSQL and (when configured) MariaDB. */
class RelayFailureTests {

    @Nested
    class OnH2 extends RelayFailureTestBase {
        @Override
        TestDatabase.Kind kind() {
            return TestDatabase.Kind.H2;
        }
    }

    @Nested
    class OnPostgres extends RelayFailureTestBase {
        @Override
        TestDatabase.Kind kind() {
            return TestDatabase.Kind.POSTGRESQL;
        }
    }

    @Nested
    class OnMariaDb extends RelayFailureTestBase {
        @Override
        TestDatabase.Kind kind() {
            return TestDatabase.Kind.MARIADB;
        }
    }
}
