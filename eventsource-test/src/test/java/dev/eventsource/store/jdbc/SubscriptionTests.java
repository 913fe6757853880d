package dev.eventsource.store.jdbc;

import org.junit.jupiter.api.Nested;

/** Subscriptions ({@link SubscriptionTestBase}) on the memory store and on every supported database. */
class SubscriptionTests {

    @Nested
    class OnMemory extends SubscriptionTestBase {
        @Override
        Backend newBackend() {
            return memory();
        }
    }

    @Nested
    class OnPostgres extends SubscriptionTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.POSTGRESQL);
        }
    }

    @Nested
    class OnMariaDb extends SubscriptionTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.MYSQL);
        }
    }

    @Nested
    class OnH2 extends SubscriptionTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.H2);
        }
    }
}
