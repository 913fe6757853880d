package dev.eventsource.store.jdbc;

import org.junit.jupiter.api.Nested;

/** The JDBC store's own behaviour ({@link JdbcStoreTestBase}) on every supported database. */
class JdbcStoreTests {

    @Nested
    class OnPostgres extends JdbcStoreTestBase {
        OnPostgres() {
            super(JdbcDialect.POSTGRESQL);
        }
    }

    @Nested
    class OnMariaDb extends JdbcStoreTestBase {
        OnMariaDb() {
            super(JdbcDialect.MYSQL);
        }
    }

    @Nested
    class OnH2 extends JdbcStoreTestBase {
        OnH2() {
            super(JdbcDialect.H2);
        }
    }
}
