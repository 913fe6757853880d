package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.store.jdbc.TypedStreamsAndCommandIdsTests.Account;
import dev.eventsource.store.jdbc.TypedStreamsAndCommandIdsTests.Open;
import dev.eventsource.store.jdbc.TypedStreamsAndCommandIdsTests.Person;
import dev.eventsource.store.jdbc.TypedStreamsAndCommandIdsTests.Rename;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The shipped migration scripts on tables created by earlier versions' schema scripts (kept in the test resources
 * under {@code v1/} to {@code v4/}): {@code migrate-v2-<platform>.sql} keeps the rows stored before
 * typed streams readable by the aggregate whose events they hold, new events carry the type, and an aggregate of
 * another type finds nothing; {@code migrate-v3-postgresql.sql} keeps positions and checkpoints;
 * {@code migrate-v4-<platform>.sql} gives old rows revision 1 without touching their payloads;
 * {@code migrate-v5-<platform>.sql} adds the snapshots table and the command index, changing no event.
 */
class SchemaMigrationTests {

    abstract static class OnDatabase {
        private final JdbcDialect dialect;
        private final String platform;
        private TestDatabases.Database database;
        private String table;

        OnDatabase(JdbcDialect dialect, String platform) {
            this.dialect = dialect;
            this.platform = platform;
        }

        @AfterEach
        void dropTable() {
            if (database != null) {
                TestDatabases.drop(database.pooled(), table);
            }
        }

        @Test
        @DisplayName("a v1 table migrated by the shipped script keeps its events readable and takes typed appends")
        void migratesAFirstVersionTable() throws Exception {
            database = TestDatabases.get(dialect);
            table = TestDatabases.uniqueTable("legacy");
            run(resource("v1/schema-" + platform + ".sql"));
            execute("INSERT INTO " + table + " (aggregate_id, version, type, occurred_at, payload, metadata) VALUES "
                    + "('p-1', 1, 'Registered', CURRENT_TIMESTAMP, " + json("{\"aggregateId\":\"p-1\",\"version\":1,"
                    + "\"at\":\"2025-01-01T00:00:00Z\",\"name\":\"Ada\"}") + ", " + json("{}") + ")");

            JdbcStore before = JdbcStore.builder(database.pooled()).tableName(table).build();
            JdbcSchemaCheck check = before.verifySchema(false);
            boolean postgres = dialect == JdbcDialect.POSTGRESQL;
            assertThat(check.missingColumns()).isEqualTo(Map.of(table, postgres
                    ? List.of("aggregate_type", "revision", "command_id", "id")
                    : List.of("aggregate_type", "revision", "command_id")));
            assertThat(check.migrationScript()).isEqualTo("dev/eventsource/store/jdbc/migrate-v2-" + platform + ".sql");
            assertThat(check.migrationScripts()).containsExactlyElementsOf(postgres
                    ? List.of("dev/eventsource/store/jdbc/migrate-v2-postgresql.sql",
                            "dev/eventsource/store/jdbc/migrate-v3-postgresql.sql",
                            "dev/eventsource/store/jdbc/migrate-v4-postgresql.sql",
                            "dev/eventsource/store/jdbc/migrate-v5-postgresql.sql")
                    : List.of("dev/eventsource/store/jdbc/migrate-v2-" + platform + ".sql",
                            "dev/eventsource/store/jdbc/migrate-v4-" + platform + ".sql",
                            "dev/eventsource/store/jdbc/migrate-v5-" + platform + ".sql"));

            for (String script : check.migrationScripts()) {
                String migration = resource(script.substring(script.lastIndexOf('/') + 1));
                run(migration);
                if (dialect != JdbcDialect.MYSQL || platform.equals("mariadb")) {
                    run(migration); // idempotent where the database has ADD COLUMN IF NOT EXISTS
                }
            }
            JdbcStore store = JdbcStore.builder(database.pooled()).tableName(table).build();
            store.createSchema(); // the current layout is complete: nothing to create, nothing fails
            assertThat(store.verifySchema(false).isComplete()).isTrue();

            assertThat(store.load("p-1")).singleElement().satisfies(record -> {
                assertThat(record.aggregateType()).isNull();
                assertThat(record.revision()).isEqualTo(1);
            });
            Repository<Person> people = Repository.builder(Person.class).store(store).build();
            Repository<Account> accounts = Repository.builder(Account.class).store(store).build();
            assertThat(people.load("p-1").name()).isEqualTo("Ada");
            assertThat(people.apply(new Rename("p-1", "Ada Lovelace"))).isEqualTo(2);
            assertThat(people.load("p-1").name()).isEqualTo("Ada Lovelace");
            assertThat(store.load("p-1")).extracting(Record::aggregateType).containsExactly(null, "Person");

            assertThat(catchThrowableOfType(AggregateNotFoundException.class, () -> accounts.load("p-1"))).isNotNull();
            assertThat(catchThrowableOfType(AggregateNotFoundException.class,
                    () -> accounts.apply(new Open("p-1", "Eve")))).isNotNull();
            assertThat(store.load("p-1")).hasSize(2);
        }

        @Test
        @DisplayName("a table numbered by the append lock, migrated by migrate-v3-postgresql.sql: positions and"
                + " checkpoints stay valid, new events are numbered after them")
        void migratesAV2PostgresTableKeepingCheckpoints() throws Exception {
            if (dialect != JdbcDialect.POSTGRESQL) {
                return; // only PostgreSQL changed its layout in v3; the nested classes run on every database
            }
            database = TestDatabases.get(dialect);
            table = TestDatabases.uniqueTable("legacy");
            run(resource("v2/schema-postgresql.sql"));
            for (int version = 1; version <= 3; version++) {
                execute("INSERT INTO " + table + " (aggregate_type, aggregate_id, version, type, occurred_at, payload,"
                        + " metadata) VALUES ('Person', 'p-1', " + version + ", 'Renamed', CURRENT_TIMESTAMP, "
                        + "'{\"aggregateId\":\"p-1\",\"version\":" + version + ",\"at\":\"2025-01-01T00:00:00Z\","
                        + "\"name\":\"Ada " + version + "\"}', '{}')");
            }
            JdbcStore before = JdbcStore.builder(database.pooled()).tableName(table).build();
            // The positions a subscription of the older version saw (its store read them as the table holds them).
            List<Long> old = longs("SELECT position FROM " + table + " ORDER BY position");
            assertThat(old).hasSize(3).doesNotContainNull();
            long checkpoint = old.get(1);
            JdbcSchemaCheck check = before.verifySchema(false);
            assertThat(check.missingColumns()).isEqualTo(Map.of(table, List.of("revision", "id")));
            assertThat(check.migrationScripts()).containsExactly("dev/eventsource/store/jdbc/migrate-v3-postgresql.sql",
                    "dev/eventsource/store/jdbc/migrate-v4-postgresql.sql",
                    "dev/eventsource/store/jdbc/migrate-v5-postgresql.sql");

            for (String name : List.of("migrate-v3-postgresql.sql", "migrate-v4-postgresql.sql",
                    "migrate-v5-postgresql.sql")) {
                String migration = resource(name);
                run(migration);
                run(migration); // a second run changes nothing
            }
            JdbcStore store = JdbcStore.builder(database.pooled()).tableName(table).build();
            store.createSchema();
            assertThat(store.verifySchema(false).isComplete()).isTrue();

            assertThat(store.readAll(0, 10)).as("old positions unchanged").extracting(Record::position)
                    .containsExactlyElementsOf(old);
            store.save("p-2", List.of(Record.of("Person", "p-2", 1, "Renamed", java.time.Instant.now(),
                    "{\"aggregateId\":\"p-2\",\"version\":1,\"name\":\"Eve\"}".getBytes(StandardCharsets.UTF_8))));
            List<Record> fromCheckpoint = store.readAll(checkpoint, 10);
            assertThat(fromCheckpoint).as("a checkpoint taken before the migration reads on from where it was")
                    .extracting(record -> record.aggregateId() + "@" + record.version())
                    .containsExactly("p-1@3", "p-2@1");
            assertThat(fromCheckpoint.get(1).position()).isEqualTo(old.get(2) + 1);
        }

        @Test
        @DisplayName("a v3 table migrated by migrate-v4: old rows read as revision 1 with their bytes unchanged, new"
                + " appends keep their revision")
        void migratesAV3TableToRevisions() throws Exception {
            database = TestDatabases.get(dialect);
            table = TestDatabases.uniqueTable("legacy");
            run(resource("v3/schema-" + platform + ".sql"));
            for (int version = 1; version <= 2; version++) {
                execute("INSERT INTO " + table + " (aggregate_type, aggregate_id, version, type, occurred_at, payload,"
                        + " metadata, command_id) VALUES ('Person', 'p-1', " + version + ", '"
                        + (version == 1 ? "Registered" : "Renamed") + "', CURRENT_TIMESTAMP, "
                        + json("{\"aggregateId\":\"p-1\", \"version\":" + version + ",\"at\":\"2025-01-01T00:00:00Z\","
                        + " \"name\":\"Ada " + version + "\"}") + ", " + json("{\"user\":\"ada\"}") + ", 'cmd-"
                        + version + "')");
            }
            List<String> storedBefore = payloads();

            JdbcStore before = JdbcStore.builder(database.pooled()).tableName(table).build();
            before.createSchema(); // an existing table of an earlier layout is left as it is, and nothing fails
            JdbcSchemaCheck check = before.verifySchema(true);
            assertThat(check.isComplete()).isFalse();
            assertThat(check.missingTables()).as("createSchema created the snapshots table").isEmpty();
            assertThat(check.missingColumns()).isEqualTo(Map.of(table, List.of("revision"), table + "_checkpoints",
                    JdbcSchemaCheck.V6_CHECKPOINT_COLUMNS));
            assertThat(check.toString()).startsWith("table " + table + " lacks column revision");
            assertThat(check.migrationScripts())
                    .containsExactly("dev/eventsource/store/jdbc/migrate-v4-" + platform + ".sql",
                            "dev/eventsource/store/jdbc/migrate-v6-" + platform + ".sql");
            assertThat(check.migrationScript()).isEqualTo("dev/eventsource/store/jdbc/migrate-v4-" + platform + ".sql");
            assertThat(getClass().getClassLoader().getResource(check.migrationScript())).isNotNull();

            for (String name : List.of("migrate-v4-" + platform + ".sql", "migrate-v6-" + platform + ".sql")) {
                String migration = resource(name);
                run(migration);
                run(migration); // idempotent on PostgreSQL, MariaDB and H2
            }
            JdbcStore store = JdbcStore.builder(database.pooled()).tableName(table).build();
            store.createSchema();
            assertThat(store.verifySchema(true).isComplete()).isTrue();
            assertThat(payloads()).as("stored payload bytes after the migration").isEqualTo(storedBefore);

            List<Record> old = store.load("p-1");
            assertThat(old).extracting(Record::revision).containsExactly(1, 1);
            assertThat(old).extracting(Record::commandId).containsExactly("cmd-1", "cmd-2");
            assertThat(old).extracting(Record::metadata).containsOnly(Map.of("user", "ada"));
            assertThat(old).extracting(record -> new String(record.data(), StandardCharsets.UTF_8))
                    .as("loaded payloads are the stored bytes").isEqualTo(storedBefore);
            assertThat(store.readAll(0, 10)).extracting(Record::revision).containsExactly(1, 1);
            Repository<Person> people = Repository.builder(Person.class).store(store).build();
            assertThat(people.load("p-1").name()).isEqualTo("Ada 2");
            assertThat(payloads()).as("stored payload bytes after reads").isEqualTo(storedBefore);

            assertThat(people.apply(new Rename("p-1", "Ada Lovelace"))).isEqualTo(3);
            store.save("p-1", List.of(Record.of("Person", "p-1", 4, "Renamed", java.time.Instant.now(),
                    "{\"aggregateId\":\"p-1\",\"version\":4,\"name\":\"Ada 4\"}".getBytes(StandardCharsets.UTF_8))
                    .withRevision(3)));
            assertThat(store.load("p-1")).extracting(Record::revision).containsExactly(1, 1, 1, 3);
            assertThat(store.readAll(0, 10)).extracting(record -> record.version() + " r" + record.revision())
                    .containsExactly("1 r1", "2 r1", "3 r1", "4 r3");
            assertThat(payloads().subList(0, 2)).isEqualTo(storedBefore);
        }

        @Test
        @DisplayName("a v4 database migrated by migrate-v5: the snapshots table and the command index exist, the"
                + " events are unchanged, hasCommand and snapshots work")
        void migratesAV4DatabaseToSnapshots() throws Exception {
            database = TestDatabases.get(dialect);
            table = TestDatabases.uniqueTable("legacy");
            run(resource("v4/schema-" + platform + ".sql"));
            for (int version = 1; version <= 3; version++) {
                execute("INSERT INTO " + table + " (aggregate_type, aggregate_id, version, type, revision, occurred_at,"
                        + " payload, metadata, command_id) VALUES ('Person', 'p-1', " + version + ", '"
                        + (version == 1 ? "Registered" : "Renamed") + "', " + version + ", CURRENT_TIMESTAMP, "
                        + json("{\"name\":\"Ada " + version + "\"}") + ", " + json("{\"user\":\"ada\"}")
                        + ", " + (version == 3 ? "NULL" : "'cmd-" + version + "'") + ")");
            }
            List<String> storedBefore = payloads();
            JdbcStore store = JdbcStore.builder(database.pooled()).tableName(table).build();
            List<Record> streamBefore = store.readAll(0, 10); // on PostgreSQL, numbers the rows first
            List<Record> eventsBefore = store.load("p-1");
            assertThat(TestDatabases.indexColumns(database.pooled(), dialect, table, "command_ix")).isEmpty();

            JdbcSchemaCheck check = store.verifySchema(false);
            assertThat(check.isComplete()).isFalse();
            assertThat(check.missingTables()).containsExactly(table + "_snapshots");
            assertThat(check.missingColumns()).isEmpty();
            assertThat(check.tablesToCreate()).as("a migration adds it, not the schema script").isEmpty();
            assertThat(check.needsMigration()).isTrue();
            assertThat(check.toString()).isEqualTo("table " + table + "_snapshots does not exist");
            assertThat(check.migrationScripts())
                    .containsExactly("dev/eventsource/store/jdbc/migrate-v5-" + platform + ".sql");
            assertThat(getClass().getClassLoader().getResource(check.migrationScript())).isNotNull();

            String migration = resource("migrate-v5-" + platform + ".sql");
            run(migration);
            if (!platform.equals("mysql")) {
                run(migration); // idempotent where the database has CREATE INDEX IF NOT EXISTS
            }
            assertThat(store.verifySchema(false).isComplete()).isTrue();
            assertThat(TestDatabases.indexColumns(database.pooled(), dialect, table, "command_ix"))
                    .containsExactly("aggregate_id", "command_id");
            store.createSchema(); // the current layout is complete: nothing to create, nothing fails

            assertThat(payloads()).as("stored payload bytes after the migration").isEqualTo(storedBefore);
            assertThat(store.load("p-1")).as("events after the migration").isEqualTo(eventsBefore);
            assertThat(store.readAll(0, 10)).isEqualTo(streamBefore);
            assertThat(eventsBefore).extracting(Record::revision).containsExactly(1, 2, 3);
            assertThat(store.hasCommand("p-1", "cmd-2", 3)).isTrue();
            assertThat(store.hasCommand("p-1", "cmd-2", 1)).isFalse();
            assertThat(store.hasCommand("p-1", "cmd-3", 3)).isFalse();

            JdbcSnapshotStore snapshots = JdbcSnapshotStore.of(store);
            assertThat(snapshots.load("Person", "p-1")).isNull();
            assertThat(snapshots.save(new dev.eventsource.Snapshot("Person", "p-1", 3, "0123456789abcdef", 1,
                    java.time.Instant.parse("2025-01-01T00:00:00Z"), new byte[] {1, 2, 3}))).isTrue();
            assertThat(snapshots.load("Person", "p-1").version()).isEqualTo(3);
        }

        @Test
        @DisplayName("a v5 database migrated by migrate-v6: checkpoints keep their positions and read RUNNING, the dead"
                + " letters table exists, and operations work")
        void migratesAV5DatabaseToOperations() throws Exception {
            database = TestDatabases.get(dialect);
            table = TestDatabases.uniqueTable("legacy");
            run(resource("v5/schema-" + platform + ".sql"));
            execute("INSERT INTO " + table + "_checkpoints (subscription, position, lease_owner, lease_until)"
                    + " VALUES ('audit', 7, NULL, 0)");
            JdbcStore store = JdbcStore.builder(database.pooled()).tableName(table).build();

            JdbcSchemaCheck check = store.verifySchema(true);
            assertThat(check.isComplete()).isFalse();
            assertThat(check.missingTables()).containsExactly(table + "_dead_letters");
            assertThat(check.missingColumns()).isEqualTo(Map.of(table + "_checkpoints",
                    JdbcSchemaCheck.V6_CHECKPOINT_COLUMNS));
            assertThat(check.tablesToCreate()).as("a migration adds it, not the schema script").isEmpty();
            assertThat(check.needsMigration()).isTrue();
            assertThat(check.migrationScripts())
                    .containsExactly("dev/eventsource/store/jdbc/migrate-v6-" + platform + ".sql");
            assertThat(getClass().getClassLoader().getResource(check.migrationScript())).isNotNull();
            assertThat(store.verifySchema(false).isComplete()).as("without subscriptions, v5 is enough").isTrue();

            String migration = resource("migrate-v6-" + platform + ".sql");
            run(migration);
            if (!platform.equals("mysql")) {
                run(migration); // idempotent where the database has ADD COLUMN IF NOT EXISTS
            }
            assertThat(store.verifySchema(true).isComplete()).isTrue();
            store.createSchema(); // the current layout is complete: nothing to create, nothing fails

            dev.eventsource.subscription.jdbc.JdbcCheckpointStore checkpoints =
                    dev.eventsource.subscription.jdbc.JdbcCheckpointStore.of(store);
            assertThat(checkpoints.position("audit")).hasValue(7);
            assertThat(checkpoints.state("audit")).hasValueSatisfying(state -> {
                assertThat(state.state()).isEqualTo(dev.eventsource.subscription.SubscriptionStatus.State.RUNNING);
                assertThat(state.operation()).isNull();
                assertThat(state.failure()).isNull();
            });
            assertThat(checkpoints.request("audit", java.util.EnumSet.of(
                    dev.eventsource.subscription.SubscriptionStatus.State.RUNNING),
                    dev.eventsource.subscription.SubscriptionStatus.State.PAUSED, null)).isTrue();
            assertThat(checkpoints.state("audit").orElseThrow().state())
                    .isEqualTo(dev.eventsource.subscription.SubscriptionStatus.State.PAUSED);
            dev.eventsource.subscription.jdbc.JdbcDeadLetterStore deadLetters =
                    dev.eventsource.subscription.jdbc.JdbcDeadLetterStore.of(store);
            long id = deadLetters.add("audit", Record.of("Person", "p-1", 2, "Renamed", java.time.Instant.now(),
                    new byte[] {'{', '}'}).withPosition(5), "IllegalStateException: boom");
            assertThat(deadLetters.list("audit")).singleElement().satisfies(letter -> {
                assertThat(letter.id()).isEqualTo(id);
                assertThat(letter.position()).isEqualTo(5);
                assertThat(letter.aggregateId()).isEqualTo("p-1");
                assertThat(letter.error()).isEqualTo("IllegalStateException: boom");
            });
        }

        private List<Long> longs(String query) throws SQLException {
            List<Long> values = new java.util.ArrayList<>();
            try (Connection connection = database.pooled().getConnection();
                 Statement statement = connection.createStatement();
                 java.sql.ResultSet rows = statement.executeQuery(query)) {
                while (rows.next()) {
                    values.add(rows.getObject(1, Long.class));
                }
            }
            return values;
        }

        /** @return the payload column of every row of the table as the database returns its text, by version */
        private List<String> payloads() throws SQLException {
            List<String> payloads = new java.util.ArrayList<>();
            try (Connection connection = database.pooled().getConnection();
                 Statement statement = connection.createStatement();
                 java.sql.ResultSet rows = statement.executeQuery("SELECT payload FROM " + table
                         + " ORDER BY version")) {
                while (rows.next()) {
                    payloads.add(rows.getString(1));
                }
            }
            return payloads;
        }

        private String json(String text) {
            String literal = "'" + text + "'";
            return dialect == JdbcDialect.H2 ? literal + " FORMAT JSON" : literal;
        }

        private String resource(String name) throws Exception {
            try (InputStream in = JdbcStore.class.getResourceAsStream(name)) {
                assertThat(in).as("script %s", name).isNotNull();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("eventsource_events", table);
            }
        }

        private void run(String script) {
            for (String statement : JdbcStoreTestBase.statements(script)) {
                execute(statement);
            }
        }

        private void execute(String sql) {
            try (Connection connection = database.pooled().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        OnPostgres() {
            super(JdbcDialect.POSTGRESQL, "postgresql");
        }
    }

    @Nested
    class OnMariaDb extends OnDatabase {
        OnMariaDb() {
            super(JdbcDialect.MYSQL, "mariadb");
        }
    }

    @Nested
    class OnH2 extends OnDatabase {
        OnH2() {
            super(JdbcDialect.H2, "h2");
        }
    }
}
