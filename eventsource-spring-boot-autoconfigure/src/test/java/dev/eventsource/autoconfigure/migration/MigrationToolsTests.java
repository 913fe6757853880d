package dev.eventsource.autoconfigure.migration;

import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.EventSourceAutoConfiguration;
import dev.eventsource.autoconfigure.EventSourceSchemaInitializer;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ResolvableType;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped Flyway migrations and Liquibase changelog, run by the real tools under Spring Boot's auto-configuration
 * with a custom events table name beside the application's own migration of a read-model table, on H2 and on
 * embedded PostgreSQL; the starter starts after them, checks the tables, stores a command's events and projects
 * them.
 */
class MigrationToolsTests {

    private static final String TABLE = "app_events";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withBean(PeopleView.class)
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.app",
                "eventsource.jdbc.table-name=" + TABLE, "eventsource.subscriptions.people-view.poll-interval=50ms");

    private ApplicationContextRunner flyway(ApplicationContextRunner runner) {
        return runner.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
            .withPropertyValues("spring.flyway.enabled=true",
                    "spring.flyway.locations=classpath:db/migration/app,"
                            + "classpath:dev/eventsource/store/jdbc/flyway/{vendor}",
                    "spring.flyway.placeholders.eventsource-table=" + TABLE);
    }

    private ApplicationContextRunner liquibase(ApplicationContextRunner runner) {
        return runner.withConfiguration(AutoConfigurations.of(LiquibaseAutoConfiguration.class))
            .withPropertyValues("spring.liquibase.enabled=true",
                    "spring.liquibase.change-log=classpath:db/changelog/app/db.changelog-master.yaml",
                    "spring.liquibase.parameters.eventsource-table=" + TABLE);
    }

    private ApplicationContextRunner h2(ApplicationContextRunner runner) {
        return runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    private ApplicationContextRunner postgresql(ApplicationContextRunner runner) {
        DataSource database = EmbeddedPostgresServer.shared().createDatabase("migrations").dataSource();
        return runner.withBean(DataSource.class, () -> database);
    }

    @Nested
    class FlywayOnH2 {

        @Test
        void migratesThenStartsStoresAndProjects() {
            flyway(h2(MigrationToolsTests.this.contextRunner))
                .withPropertyValues("eventsource.jdbc.initialize-schema=never")
                .run((context) -> {
                    assertStoresAndProjects(context);
                    assertThat(flywayVersions(context)).containsSubsequence("0.1", "0.2", "0.4", "0.5", "0.6", "1");
                });
        }

        @Test
        void runsTheSchemaInitializerOfAnEmbeddedDatabaseAfterFlyway() {
            // In H2 in memory the initializer runs (embedded, the default): had it run first, Flyway would have met a
            // non-empty schema without its history table and refused to migrate.
            flyway(h2(MigrationToolsTests.this.contextRunner)).run((context) -> {
                assertThat(context.getBean(EventSourceSchemaInitializer.class).isInitialized()).isTrue();
                assertThat(dependsOn(context, "eventSourceSchemaInitializer")).contains("flywayInitializer");
                assertThat(dependsOn(context, "eventSourceStore")).contains("flywayInitializer",
                        "eventSourceSchemaInitializer");
                assertStoresAndProjects(context);
            });
        }

        @Test
        void failsWithTheSchemaCheckWhenTheMigrationsNameAnotherTable() {
            flyway(h2(MigrationToolsTests.this.contextRunner))
                .withPropertyValues("eventsource.jdbc.initialize-schema=never",
                        "spring.flyway.placeholders.eventsource-table=other_events")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("tables app_events, app_events_lock, app_events_snapshots do not exist");
                });
        }
        @Test
        void adoptsTablesTheStartUpScriptsCreatedWhenOutOfOrder() {
            String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
            // The application's first version: its own migration only; the starter's scripts create the tables.
            MigrationToolsTests.this.contextRunner
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        FlywayAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url, "spring.flyway.enabled=true",
                        "spring.flyway.locations=classpath:db/migration/app")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    assertThat(flywayVersions(context)).containsExactly("1");
                    repository(context).apply(new Person.Register("p-1", "Ada"));
                });
            ApplicationContextRunner next = flyway(MigrationToolsTests.this.contextRunner)
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url, "eventsource.jdbc.initialize-schema=never");
            // Versions below the database's 1 are refused without out-of-order, as the README says.
            next.run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("Detected resolved migration not applied to database: 0.1");
            });
            next.withPropertyValues("spring.flyway.out-of-order=true").run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(flywayVersions(context)).containsExactly("1", "0.1", "0.2", "0.4", "0.5", "0.6");
                repository(context).apply(new Person.Register("p-2", "Grace"));
                assertThat(count(context.getBean(DataSource.class), TABLE)).isEqualTo(2);
            });
        }
    }

    @Nested
    class FlywayOnPostgreSql {

        @Test
        void migratesThenStartsStoresAndProjects() {
            flyway(postgresql(MigrationToolsTests.this.contextRunner))
                .withPropertyValues("eventsource.jdbc.initialize-schema=never")
                .run((context) -> {
                    assertStoresAndProjects(context);
                    assertThat(flywayVersions(context))
                        .containsSubsequence("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "1");
                    assertThat(columns(context.getBean(DataSource.class), TABLE)).contains("id", "revision",
                            "command_id", "aggregate_type");
                });
        }

        @Test
        void runsTheSchemaInitializerAfterFlywayWhenAlways() {
            // PostgreSQL is not embedded: 'always' makes the initializer run, after Flyway, on the migrated tables.
            flyway(postgresql(MigrationToolsTests.this.contextRunner))
                .withPropertyValues("eventsource.jdbc.initialize-schema=always")
                .run((context) -> {
                    assertThat(context.getBean(EventSourceSchemaInitializer.class).isInitialized()).isTrue();
                    assertThat(dependsOn(context, "eventSourceSchemaInitializer")).contains("flywayInitializer");
                    assertStoresAndProjects(context);
                });
        }

        @Test
        void leavesTheMigratedTablesToFlywayByDefault() {
            flyway(postgresql(MigrationToolsTests.this.contextRunner)).run((context) -> {
                assertThat(context.getBean(EventSourceSchemaInitializer.class).isInitialized()).isFalse();
                assertStoresAndProjects(context);
            });
        }
    }

    @Nested
    class LiquibaseOnH2 {

        @Test
        void migratesThenStartsStoresAndProjects() {
            liquibase(h2(MigrationToolsTests.this.contextRunner))
                .withPropertyValues("eventsource.jdbc.initialize-schema=never")
                .run((context) -> {
                    assertStoresAndProjects(context);
                    assertThat(changeSets(context)).containsExactly("eventsource-0.1-h2", "eventsource-0.2-h2",
                            "eventsource-0.4-h2", "eventsource-0.5-h2", "eventsource-0.6-h2", "people-view");
                });
        }

        @Test
        void runsTheSchemaInitializerOfAnEmbeddedDatabaseAfterLiquibase() {
            liquibase(h2(MigrationToolsTests.this.contextRunner)).run((context) -> {
                assertThat(context.getBean(EventSourceSchemaInitializer.class).isInitialized()).isTrue();
                assertThat(dependsOn(context, "eventSourceSchemaInitializer")).contains("liquibase");
                assertThat(dependsOn(context, "eventSourceStore")).contains("liquibase",
                        "eventSourceSchemaInitializer");
                assertStoresAndProjects(context);
            });
        }

        @Test
        void namesTheDefaultTableWithoutTheParameter() {
            h2(MigrationToolsTests.this.contextRunner)
                .withConfiguration(AutoConfigurations.of(LiquibaseAutoConfiguration.class))
                .withPropertyValues("spring.liquibase.enabled=true",
                        "spring.liquibase.change-log=classpath:db/changelog/app/db.changelog-master.yaml",
                        "eventsource.jdbc.table-name=eventsource_events", "eventsource.jdbc.initialize-schema=never")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    repository(context).apply(new Person.Register("p-1", "Ada"));
                    assertThat(count(context.getBean(DataSource.class), "eventsource_events")).isOne();
                });
        }
    }

    @Nested
    class LiquibaseOnPostgreSql {

        @Test
        void migratesThenStartsStoresAndProjects() {
            liquibase(postgresql(MigrationToolsTests.this.contextRunner))
                .withPropertyValues("eventsource.jdbc.initialize-schema=never")
                .run((context) -> {
                    assertStoresAndProjects(context);
                    assertThat(changeSets(context)).containsExactly("eventsource-0.1-postgresql",
                            "eventsource-0.2-postgresql", "eventsource-0.3-postgresql", "eventsource-0.4-postgresql",
                            "eventsource-0.5-postgresql", "eventsource-0.6-postgresql", "people-view");
                });
        }

        @Test
        void runsTheSchemaInitializerAfterLiquibaseWhenAlways() {
            liquibase(postgresql(MigrationToolsTests.this.contextRunner))
                .withPropertyValues("eventsource.jdbc.initialize-schema=always")
                .run((context) -> {
                    assertThat(context.getBean(EventSourceSchemaInitializer.class).isInitialized()).isTrue();
                    assertThat(dependsOn(context, "eventSourceSchemaInitializer")).contains("liquibase");
                    assertStoresAndProjects(context);
                });
        }
    }

    /** The starter started on the migrated tables, stores a command's events in them and the projection sees them. */
    private static void assertStoresAndProjects(AssertableApplicationContext context) throws SQLException {
        assertThat(context).hasNotFailed();
        DataSource dataSource = context.getBean(DataSource.class);
        repository(context).apply(new Person.Register("p-1", "Ada"));
        assertThat(count(dataSource, TABLE)).isOne();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(jdbc.queryForList("SELECT name FROM people_view WHERE id = 'p-1'",
                    String.class)).containsExactly("Ada"));
        // Nothing was created under the default name: every table came from the migrations, named by the parameter.
        assertThat(columns(dataSource, "eventsource_events")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(count(dataSource, TABLE + "_checkpoints"))
            .isOne());
    }

    @SuppressWarnings("unchecked")
    private static Repository<Person> repository(AssertableApplicationContext context) {
        return (Repository<Person>) context
            .getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, Person.class))
            .getObject();
    }

    private static List<String> dependsOn(AssertableApplicationContext context, String beanName) {
        String[] dependsOn = context.getBeanFactory().getBeanDefinition(beanName).getDependsOn();
        return (dependsOn != null) ? List.of(dependsOn) : List.of();
    }

    private static List<String> flywayVersions(AssertableApplicationContext context) {
        return new JdbcTemplate(context.getBean(DataSource.class)).queryForList("SELECT \"version\" FROM"
                + " \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL"
                + " ORDER BY \"installed_rank\"",
                String.class);
    }

    private static List<String> changeSets(AssertableApplicationContext context) {
        return new JdbcTemplate(context.getBean(DataSource.class))
            .queryForList("SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED", String.class);
    }

    private static int count(DataSource dataSource, String table) {
        Integer count = new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
        return (count != null) ? count : -1;
    }

    /** @return the columns of a table, lower case, none when it does not exist */
    static List<String> columns(DataSource dataSource, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
                try (ResultSet rows = connection.getMetaData().getColumns(null, null, name, null)) {
                    while (rows.next()) {
                        columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return columns;
    }
}
