package dev.eventsource.store.jdbc;

import dev.eventsource.PayloadFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema scripts shipped for Flyway and Liquibase users say exactly what {@link JdbcStore#createSchema()}
 * runs for the default table and JSON payloads, so the two cannot drift apart.
 */
class SchemaScriptsTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "schema-postgresql.sql, POSTGRESQL, false",
            "schema-mysql.sql,      MYSQL,      false",
            "schema-mariadb.sql,    MYSQL,      true",
            "schema-h2.sql,         H2,         false"})
    void scriptMatchesCreateSchema(String script, JdbcDialect dialect, boolean mariaDb) throws Exception {
        String text = JdbcStoreTestBase.script(script);

        assertThat(JdbcStoreTestBase.statements(text).stream().map(SchemaScriptsTests::normalise).toList())
                .containsExactlyElementsOf(dialect.schema(TableName.of(JdbcStore.DEFAULT_TABLE_NAME), PayloadFormat.JSON,
                        mariaDb).stream().map(SchemaScriptsTests::normalise).toList());
        assertThat(text).contains("CREATE TABLE IF NOT EXISTS eventsource_events (")
                .contains("CONSTRAINT eventsource_events_aggregate_version_uq UNIQUE (aggregate_id, version)");
    }

    private static String normalise(String sql) {
        return sql.strip().replaceAll("\\s+", " ");
    }
}
