package dev.eventsource.store.jdbc;

import dev.eventsource.PayloadFormat;
import dev.eventsource.SnapshotStore;
import dev.eventsource.test.SnapshotStoreContractTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * The JDBC snapshot store passes the whole snapshot store contract on every supported database, beside an events
 * table of JSON payloads and one of binary payloads (the snapshots table is the same for both).
 */
class JdbcSnapshotStoreContractTests {

    /** One schema per database and payload format, created once and emptied before each test. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class OnDatabase extends SnapshotStoreContractTests {

        private final JdbcDialect dialect;
        private final PayloadFormat format;
        private final String table = TestDatabases.uniqueTable("snapshots");
        private TestDatabases.Database database;
        private JdbcStore store;

        OnDatabase(JdbcDialect dialect, PayloadFormat format) {
            this.dialect = dialect;
            this.format = format;
        }

        @Override
        protected SnapshotStore newSnapshotStore() {
            if (database == null) {
                database = TestDatabases.get(dialect);
                store = JdbcStore.builder(database.pooled()).tableName(table).payloadFormat(format).build();
                store.createSchema();
            }
            TestDatabases.truncate(database.pooled(), dialect, store.snapshotTableName());
            return JdbcSnapshotStore.of(store);
        }

        @AfterAll
        void dropTables() {
            if (database != null) {
                TestDatabases.drop(database.pooled(), table);
            }
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        OnPostgres() {
            super(JdbcDialect.POSTGRESQL, PayloadFormat.JSON);
        }
    }

    @Nested
    class OnPostgresBesideBinaryEvents extends OnDatabase {
        OnPostgresBesideBinaryEvents() {
            super(JdbcDialect.POSTGRESQL, PayloadFormat.BINARY);
        }
    }

    @Nested
    class OnMariaDb extends OnDatabase {
        OnMariaDb() {
            super(JdbcDialect.MYSQL, PayloadFormat.JSON);
        }
    }

    @Nested
    class OnMariaDbBesideBinaryEvents extends OnDatabase {
        OnMariaDbBesideBinaryEvents() {
            super(JdbcDialect.MYSQL, PayloadFormat.BINARY);
        }
    }

    @Nested
    class OnH2 extends OnDatabase {
        OnH2() {
            super(JdbcDialect.H2, PayloadFormat.JSON);
        }
    }

    @Nested
    class OnH2BesideBinaryEvents extends OnDatabase {
        OnH2BesideBinaryEvents() {
            super(JdbcDialect.H2, PayloadFormat.BINARY);
        }
    }
}
