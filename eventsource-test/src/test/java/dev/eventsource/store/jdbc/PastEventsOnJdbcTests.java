package dev.eventsource.store.jdbc;

import dev.eventsource.PayloadFormat;
import dev.eventsource.Store;
import dev.eventsource.test.PastEventsTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

import java.util.EnumMap;
import java.util.Map;

/** {@link dev.eventsource.test.PastEvents} on the JDBC store, on every supported database. */
class PastEventsOnJdbcTests {

    /** One table per payload format (the payload column's type depends on it), emptied before each test. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class OnDatabase extends PastEventsTestBase {

        private final JdbcDialect dialect;
        private final Map<PayloadFormat, String> tables = new EnumMap<>(PayloadFormat.class);
        private TestDatabases.Database database;

        OnDatabase(JdbcDialect dialect) {
            this.dialect = dialect;
        }

        @Override
        protected Store newStore(PayloadFormat format) {
            if (database == null) {
                database = TestDatabases.get(dialect);
            }
            String table = tables.computeIfAbsent(format, created -> {
                String name = TestDatabases.uniqueTable("past_" + created.name().toLowerCase());
                JdbcStore.builder(database.pooled()).tableName(name).payloadFormat(created).build().createSchema();
                return name;
            });
            TestDatabases.truncate(database.pooled(), dialect, table);
            return JdbcStore.builder(database.pooled()).tableName(table).payloadFormat(format).build();
        }

        @AfterAll
        void dropTables() {
            if (database != null) {
                tables.values().forEach(table -> TestDatabases.drop(database.pooled(), table));
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
