package dev.eventsource.store.jdbc;

import dev.eventsource.PayloadFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped schema scripts are the one source of the DDL: {@link JdbcStore#createSchema()} runs exactly their
 * statements, adapted to its table name and payload format, so a Flyway or Liquibase user who copies a script gets
 * what the store creates.
 */
class SchemaScriptsTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "schema-postgresql.sql, POSTGRESQL, false",
            "schema-mysql.sql,      MYSQL,      false",
            "schema-mariadb.sql,    MYSQL,      true",
            "schema-h2.sql,         H2,         false"})
    void createSchemaRunsTheScriptAsItIs(String script, JdbcDialect dialect, boolean mariaDb) throws Exception {
        String text = JdbcStoreTestBase.script(script);

        assertThat(dialect.schema(TableName.of(JdbcStore.DEFAULT_TABLE_NAME), PayloadFormat.JSON, mariaDb))
                .containsExactlyElementsOf(JdbcStoreTestBase.statements(text));
        assertThat(text).contains("CREATE TABLE IF NOT EXISTS eventsource_events (")
                .contains("CONSTRAINT eventsource_events_aggregate_version_uq UNIQUE (aggregate_id, version)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "POSTGRESQL, false, BYTEA",
            "MYSQL,      false, LONGBLOB",
            "MYSQL,      true,  LONGBLOB",
            "H2,         false, BLOB"})
    void adaptsTheScriptToTheTableNameAndBinaryPayloads(JdbcDialect dialect, boolean mariaDb, String binaryType) {
        String ddl = String.join(";\n", dialect.schema(TableName.of("App.Events"), PayloadFormat.BINARY, mariaDb));

        assertThat(ddl).contains("CREATE TABLE IF NOT EXISTS App.Events (")
                .contains("CONSTRAINT Events_pk PRIMARY KEY")
                .contains("CONSTRAINT Events_aggregate_version_uq UNIQUE (aggregate_id, version)")
                .contains("CREATE TABLE IF NOT EXISTS App.Events_checkpoints (")
                .contains("CONSTRAINT Events_checkpoints_pk PRIMARY KEY (subscription)")
                .containsPattern("(?m)^\\s*payload\\s+" + binaryType + "\\s+NOT NULL")
                .doesNotContain("eventsource_events");
        if (dialect == JdbcDialect.POSTGRESQL) {
            assertThat(ddl).contains("CREATE INDEX IF NOT EXISTS Events_unnumbered_ix ON App.Events (id)")
                    .doesNotContain("_lock");
        } else {
            assertThat(ddl).contains("CREATE TABLE IF NOT EXISTS App.Events_lock (")
                    .contains("CONSTRAINT Events_lock_pk PRIMARY KEY (id)")
                    .contains("INSERT INTO App.Events_lock (id)");
        }
        assertThat(String.join("\n", dialect.schema(TableName.of("App.Events"), PayloadFormat.JSON, mariaDb)))
                .as("metadata stays JSON with binary payloads, and JSON payloads keep their type")
                .containsPattern("(?m)^\\s*metadata\\s+JSONB?\\s+NOT NULL")
                .doesNotContain(binaryType);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"postgresql, 'IF NOT EXISTS '", "mysql, ''", "mariadb, 'IF NOT EXISTS '", "h2, 'IF NOT EXISTS '"})
    void theRevisionMigrationAddsTheColumnOfTheSchemaScript(String platform, String ifNotExists) throws Exception {
        String schema = JdbcStoreTestBase.script("schema-" + platform + ".sql");
        List<String> migration = JdbcStoreTestBase.statements(
                JdbcStoreTestBase.script("migrate-v4-" + platform + ".sql"));

        assertThat(schema).containsPattern("(?m)^\\s*revision\\s+INT\\s+NOT NULL DEFAULT 1,$");
        assertThat(migration).containsExactly("ALTER TABLE eventsource_events ADD COLUMN " + ifNotExists
                + "revision INT NOT NULL DEFAULT 1");
    }

    @Test
    void mysqlAndMariaDbScriptsDifferOnlyInTheBinaryNoPadCollation() throws Exception {
        List<String> mysql = JdbcStoreTestBase.statements(JdbcStoreTestBase.script("schema-mysql.sql"));
        List<String> mariadb = JdbcStoreTestBase.statements(JdbcStoreTestBase.script("schema-mariadb.sql"));

        assertThat(mariadb).containsExactlyElementsOf(mysql.stream()
                .map(statement -> statement.replace("utf8mb4_0900_bin", "utf8mb4_nopad_bin")).toList());
        assertThat(String.join("\n", mysql)).contains("utf8mb4_0900_bin");
    }
}
