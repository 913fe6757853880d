package dev.eventsource.store.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JdbcStore#verifySchema} on PostgreSQL, MariaDB and H2: missing tables, a table of an older layout, and
 * schema-qualified mixed-case names resolved as the store's own statements resolve them.
 */
class JdbcSchemaCheckTests {

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdbcDialect.class)
    void reportsMissingTablesUntilTheSchemaIsCreated(JdbcDialect dialect) {
        DataSource dataSource = TestDatabases.get(dialect).pooled();
        String table = TestDatabases.uniqueTable("check");
        JdbcStore store = JdbcStore.builder(dataSource).tableName(table).dialect(dialect).build();
        try {
            JdbcSchemaCheck missing = store.verifySchema(true);
            assertThat(missing.isComplete()).isFalse();
            assertThat(missing.missingTables()).containsExactlyElementsOf(dialect == JdbcDialect.POSTGRESQL
                    ? List.of(table, table + "_snapshots", table + "_checkpoints", table + "_dead_letters")
                    : List.of(table, table + "_lock", table + "_snapshots", table + "_checkpoints",
                            table + "_dead_letters"));
            assertThat(missing.tablesToCreate()).as("an empty database needs the schema script, no migration")
                    .isEqualTo(missing.missingTables());
            assertThat(missing.needsMigration()).isFalse();
            assertThat(missing.missingColumns()).isEmpty();
            String platform = dialect == JdbcDialect.MYSQL ? "mariadb" : dialect.platform();
            assertThat(missing.platform()).isEqualTo(platform);
            assertThat(missing.schemaScript()).isEqualTo("dev/eventsource/store/jdbc/schema-" + platform + ".sql");
            assertThat(getClass().getClassLoader().getResource(missing.schemaScript())).isNotNull();

            store.createSchema();
            assertThat(store.verifySchema(true).isComplete()).isTrue();
            assertThat(store.verifySchema(true).toString()).isEmpty();
        } finally {
            TestDatabases.drop(dataSource, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdbcDialect.class)
    void namesTheColumnsMissingFromATableOfAnOlderLayout(JdbcDialect dialect) throws SQLException {
        DataSource dataSource = TestDatabases.get(dialect).pooled();
        String table = TestDatabases.uniqueTable("check");
        JdbcStore store = JdbcStore.builder(dataSource).tableName(table).dialect(dialect).build();
        try {
            store.createSchema();
            execute(dataSource, "ALTER TABLE " + table + " DROP COLUMN metadata");
            JdbcSchemaCheck check = store.verifySchema(false);
            assertThat(check.missingTables()).isEmpty();
            assertThat(check.missingColumns()).isEqualTo(Map.of(table, List.of("metadata")));
            assertThat(check.toString()).isEqualTo("table " + table + " lacks column metadata");
            assertThat(check.migrationScript()).startsWith("dev/eventsource/store/jdbc/migrate-v2-");
        } finally {
            TestDatabases.drop(dataSource, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdbcDialect.class)
    void createSchemaLeavesATableWithoutCommandIdsAloneAndTheCheckNamesTheColumn(JdbcDialect dialect)
            throws SQLException {
        DataSource dataSource = TestDatabases.get(dialect).pooled();
        String table = TestDatabases.uniqueTable("check");
        JdbcStore store = JdbcStore.builder(dataSource).tableName(table).dialect(dialect).build();
        try {
            store.createSchema();
            if (dialect != JdbcDialect.MYSQL) {
                execute(dataSource, "DROP INDEX " + table + "_command_ix");
            }
            execute(dataSource, "ALTER TABLE " + table + " DROP COLUMN command_id");

            store.createSchema(); // the index on the missing column is skipped, not a failure

            JdbcSchemaCheck check = store.verifySchema(false);
            assertThat(check.missingColumns()).isEqualTo(Map.of(table, List.of("command_id")));
            assertThat(check.missingTables()).isEmpty();
            assertThat(check.migrationScript()).startsWith("dev/eventsource/store/jdbc/migrate-v2-");
        } finally {
            TestDatabases.drop(dataSource, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdbcDialect.class)
    void namesTheV5MigrationWhenOnlyTheSnapshotsTableIsMissing(JdbcDialect dialect) throws SQLException {
        DataSource dataSource = TestDatabases.get(dialect).pooled();
        String table = TestDatabases.uniqueTable("check");
        JdbcStore store = JdbcStore.builder(dataSource).tableName(table).dialect(dialect).build();
        try {
            store.createSchema();
            execute(dataSource, "DROP TABLE " + store.snapshotTableName());
            JdbcSchemaCheck check = store.verifySchema(false);
            String platform = dialect == JdbcDialect.MYSQL ? "mariadb" : dialect.platform();
            assertThat(check.isComplete()).isFalse();
            assertThat(check.missingTables()).containsExactly(table + "_snapshots");
            assertThat(check.tablesToCreate()).isEmpty();
            assertThat(check.needsMigration()).isTrue();
            assertThat(check.migrationScripts()).containsExactly("dev/eventsource/store/jdbc/migrate-v5-" + platform
                    + ".sql");

            execute(dataSource, "ALTER TABLE " + table + " DROP COLUMN revision");
            assertThat(store.verifySchema(false).migrationScripts()).containsExactly(
                    "dev/eventsource/store/jdbc/migrate-v4-" + platform + ".sql",
                    "dev/eventsource/store/jdbc/migrate-v5-" + platform + ".sql");
        } finally {
            TestDatabases.drop(dataSource, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdbcDialect.class)
    void namesTheV6MigrationWhenTheDeadLettersTableOrTheCheckpointStateIsMissing(JdbcDialect dialect)
            throws SQLException {
        DataSource dataSource = TestDatabases.get(dialect).pooled();
        String table = TestDatabases.uniqueTable("check");
        JdbcStore store = JdbcStore.builder(dataSource).tableName(table).dialect(dialect).build();
        try {
            store.createSchema();
            execute(dataSource, "DROP TABLE " + store.deadLetterTableName());
            assertThat(store.verifySchema(false).isComplete()).as("checked with the checkpoints only").isTrue();
            JdbcSchemaCheck check = store.verifySchema(true);
            String platform = dialect == JdbcDialect.MYSQL ? "mariadb" : dialect.platform();
            assertThat(check.missingTables()).containsExactly(table + "_dead_letters");
            assertThat(check.tablesToCreate()).isEmpty();
            assertThat(check.needsMigration()).isTrue();
            assertThat(check.migrationScripts()).containsExactly("dev/eventsource/store/jdbc/migrate-v6-" + platform
                    + ".sql");

            execute(dataSource, "ALTER TABLE " + store.checkpointTableName() + " DROP COLUMN operation");
            JdbcSchemaCheck columns = store.verifySchema(true);
            assertThat(columns.missingColumns()).isEqualTo(Map.of(store.checkpointTableName(),
                    List.of("operation")));
            assertThat(columns.migrationScripts()).containsExactly("dev/eventsource/store/jdbc/migrate-v6-"
                    + platform + ".sql");
        } finally {
            TestDatabases.drop(dataSource, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JdbcDialect.class)
    void resolvesSchemaQualifiedMixedCaseNamesAsTheStoreDoes(JdbcDialect dialect) throws SQLException {
        DataSource dataSource = TestDatabases.get(dialect).pooled();
        // MariaDB's schema is the database.
        String schema = dialect == JdbcDialect.MYSQL ? "test" : "Check_Schema";
        if (dialect != JdbcDialect.MYSQL) {
            execute(dataSource, "CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        String table = schema + "." + TestDatabases.uniqueTable("Mixed_Case");
        JdbcStore store = JdbcStore.builder(dataSource).tableName(table).dialect(dialect).build();
        String unqualified = table.substring(schema.length() + 1);
        JdbcStore elsewhere = JdbcStore.builder(dataSource).tableName(unqualified).dialect(dialect).build();
        try {
            store.createSchema();
            assertThat(store.verifySchema(true).isComplete()).isTrue();
            if (dialect != JdbcDialect.MYSQL) {
                // The same name in the default schema is another table, which does not exist.
                assertThat(elsewhere.verifySchema(false).missingTables()).contains(unqualified);
            }
        } finally {
            TestDatabases.drop(dataSource, table);
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
