package dev.eventsource.store.jdbc;

import dev.eventsource.Store;
import dev.eventsource.test.StoreContractTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** The JDBC store passes the whole store contract on every supported database. */
class JdbcStoreContractTests {

    /** One table per database, created once and emptied before each test. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class OnDatabase extends StoreContractTests {

        private final JdbcDialect dialect;
        private final String table = TestDatabases.uniqueTable("contract");
        private TestDatabases.Database database;

        OnDatabase(JdbcDialect dialect) {
            this.dialect = dialect;
        }

        @Override
        protected Store newStore() {
            if (database == null) {
                database = TestDatabases.get(dialect);
                JdbcStore.builder(database.pooled()).tableName(table).build().createSchema();
            }
            TestDatabases.truncate(database.pooled(), dialect, table);
            JdbcStore store = JdbcStore.builder(database.pooled()).tableName(table).build();
            return store;
        }

        @AfterAll
        void dropTable() {
            if (database != null) {
                TestDatabases.drop(database.pooled(), table);
            }
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        OnPostgres() {
            super(JdbcDialect.POSTGRESQL);
        }
    }

    @Nested
    class OnMariaDb extends OnDatabase {
        OnMariaDb() {
            super(JdbcDialect.MYSQL);
        }
    }

    @Nested
    class OnH2 extends OnDatabase {
        OnH2() {
            super(JdbcDialect.H2);
        }
    }
}
