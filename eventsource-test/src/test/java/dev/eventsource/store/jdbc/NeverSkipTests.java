package dev.eventsource.store.jdbc;

import org.junit.jupiter.api.Nested;

/**
 * Never skipping an event around open transactions ({@link NeverSkipTestBase}) on the memory store and on every
 * supported database.
 */
class NeverSkipTests {

    @Nested
    class OnMemory extends NeverSkipTestBase {
        @Override
        Backend newBackend() {
            return memory();
        }

        @Override
        boolean appendsToOtherAggregatesWait() {
            return true; // one append lock, held by a transaction from its first append until it ends
        }
    }

    @Nested
    class OnPostgres extends NeverSkipTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.POSTGRESQL);
        }

        @Override
        boolean appendsToOtherAggregatesWait() {
            return false; // a lock per aggregate; committed rows are numbered after their commit
        }
    }

    @Nested
    class OnMariaDb extends NeverSkipTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.MYSQL);
        }

        @Override
        boolean appendsToOtherAggregatesWait() {
            return true; // the row lock on <table>_lock, held until the appending transaction ends
        }
    }

    @Nested
    class OnH2 extends NeverSkipTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.H2);
        }

        @Override
        boolean appendsToOtherAggregatesWait() {
            return true; // the row lock on <table>_lock, held until the appending transaction ends
        }
    }
}
