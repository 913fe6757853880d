package dev.eventsource.store.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The versioned migrations shipped for Flyway ({@code flyway/<platform>/V0_<n>__*.sql}) and Liquibase (one changelog
 * running those files) are the layouts of eventsource as the other scripts describe them: version 0.1 the first
 * layout, 0.n the statements of {@code migrate-v<n>-<platform>.sql}, the table name a placeholder. So a database
 * migrated by either tool is the database {@link JdbcStore#createSchema()} and the migration scripts make.
 */
class MigrationScriptsTests {

    private static final String PLACEHOLDER = "${" + JdbcSchemaScripts.TABLE_PLACEHOLDER + "}";

    private static final List<String> NON_POSTGRESQL = List.of("V0_1__eventsource_events.sql",
            "V0_2__eventsource_typed_streams.sql", "V0_4__eventsource_revisions.sql",
            "V0_5__eventsource_snapshots.sql", "V0_6__eventsource_operations.sql");

    private static final List<String> POSTGRESQL = List.of("V0_1__eventsource_events.sql",
            "V0_2__eventsource_typed_streams.sql", "V0_3__eventsource_numbering_after_commit.sql",
            "V0_4__eventsource_revisions.sql", "V0_5__eventsource_snapshots.sql",
            "V0_6__eventsource_operations.sql");

    private static List<String> migrations(String platform) {
        return platform.equals("postgresql") ? POSTGRESQL : NON_POSTGRESQL;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "postgresql", "h2", "mysql", "mariadb" })
    void flywayMigrationsAreTheLayoutsWithTheTableNameAsPlaceholder(String platform) throws Exception {
        for (String file : migrations(platform)) {
            String migration = JdbcStoreTestBase.script("flyway/" + platform + "/" + file);
            int version = Integer.parseInt(file.substring(3, 4));
            String source = (version == 1) ? v1(platform) : JdbcStoreTestBase.script(
                    "migrate-v" + version + "-" + platform + ".sql");
            assertThat(JdbcStoreTestBase.statements(migration.replace(PLACEHOLDER, JdbcStore.DEFAULT_TABLE_NAME)))
                .as(file).containsExactlyElementsOf(JdbcStoreTestBase.statements(source));
            assertThat(JdbcStore.class.getClassLoader().getResource(JdbcSchemaScripts.FLYWAY_LOCATION + platform + "/"
                    + file)).as("%s at the documented location", file).isNotNull();
            assertThat(JdbcStoreTestBase.statements(migration)).as(file)
                .allSatisfy((statement) -> assertThat(statement).doesNotContain(JdbcStore.DEFAULT_TABLE_NAME));
        }
        for (int version = 2; version <= 6; version++) {
            boolean shipped = JdbcStore.class.getResource("migrate-v" + version + "-" + platform + ".sql") != null;
            String prefix = "V0_" + version + "__";
            assertThat(migrations(platform).stream().anyMatch((file) -> file.startsWith(prefix)))
                .as("Flyway migration %s for %s", prefix, platform).isEqualTo(shipped);
        }
    }

    @Test
    void liquibaseChangelogRunsEveryFlywayMigrationOnItsDatabaseInOrder() throws Exception {
        String changelog = JdbcStoreTestBase.script("liquibase/db.changelog-eventsource.yaml");
        assertThat(JdbcStore.class.getClassLoader().getResource(JdbcSchemaScripts.LIQUIBASE_CHANGELOG))
            .as("the changelog at the documented location").isNotNull();
        assertThat(changelog).contains("name: " + JdbcSchemaScripts.TABLE_PLACEHOLDER)
            .contains("value: " + JdbcStore.DEFAULT_TABLE_NAME);
        Matcher changeSets = Pattern.compile("id: eventsource-0\\.(\\d)-(\\w+)\\s+author: eventsource\\s+dbms: (\\w+)"
                + "\\s+changes:\\s+- sqlFile:\\s+path: (\\S+)").matcher(changelog);
        List<String> platforms = List.of("postgresql", "h2", "mysql", "mariadb");
        List<String> expected = new ArrayList<>();
        for (int version = 1; version <= 6; version++) {
            for (String platform : platforms) {
                for (String file : migrations(platform)) {
                    if (file.startsWith("V0_" + version + "__")) {
                        expected.add(platform + " " + JdbcSchemaScripts.FLYWAY_LOCATION + platform + "/" + file);
                    }
                }
            }
        }
        List<String> actual = new ArrayList<>();
        while (changeSets.find()) {
            assertThat(changeSets.group(2)).isEqualTo(changeSets.group(3));
            assertThat(changeSets.group(4)).contains("/V0_" + changeSets.group(1) + "__");
            actual.add(changeSets.group(3) + " " + changeSets.group(4));
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    private static String v1(String platform) throws Exception {
        return JdbcStoreTestBase.script("v1/schema-" + platform + ".sql");
    }
}
