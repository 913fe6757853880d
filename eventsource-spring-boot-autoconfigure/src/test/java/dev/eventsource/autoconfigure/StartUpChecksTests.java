package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;
import dev.eventsource.Store;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.ResolvableType;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up checks of the JDBC store: missing tables, tables of an older layout, several DataSources, and the log
 * line naming the chosen store; on H2 and on embedded PostgreSQL.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartUpChecksTests {

    private static final String OLD_EVENTS_TABLE = """
            CREATE TABLE eventsource_events (
                position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                aggregate_type VARCHAR(255) NOT NULL,
                command_id VARCHAR(255),
                aggregate_id VARCHAR(255) NOT NULL,
                version BIGINT NOT NULL,
                type VARCHAR(255) NOT NULL,
                occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
                payload VARCHAR(4000) NOT NULL)""";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.app");

    @Nested
    class OnH2 {

        private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

        private final ApplicationContextRunner withH2 = StartUpChecksTests.this.contextRunner
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + this.url);

        @Test
        void failsWithAnalysisWhenEventsTableIsMissing() {
            this.withH2.withPropertyValues("eventsource.jdbc.initialize-schema=never").run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(IncompleteSchemaException.class);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("tables eventsource_events, eventsource_events_lock, eventsource_events_snapshots do"
                            + " not exist in the h2 database")
                    .contains("eventsource.jdbc.initialize-schema is 'never'")
                    .contains("Set eventsource.jdbc.initialize-schema=always")
                    .contains("dev/eventsource/store/jdbc/schema-h2.sql from the eventsource-core jar")
                    .doesNotContain("migrate-v");
            });
        }

        @Test
        void failsWithAnalysisNamingMissingColumnsOfAnOlderTable() throws SQLException {
            execute(h2(this.url), OLD_EVENTS_TABLE);
            // The default (embedded) creates what is missing but alters no existing table.
            this.withH2.run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("table eventsource_events lacks columns revision, metadata in the h2 database")
                    .contains("created by an earlier version of eventsource: apply "
                            + "dev/eventsource/store/jdbc/migrate-v2-h2.sql and then "
                            + "dev/eventsource/store/jdbc/migrate-v4-h2.sql from the eventsource-core jar")
                    .doesNotContain("does not exist");
            });
        }

        @Test
        void failsWithAnalysisNamingTheRevisionMigrationForATableWithoutRevisions() throws SQLException {
            createTablesWithoutCheckpoints(h2(this.url), false);
            this.withH2.run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("table eventsource_events lacks column revision in the h2 database")
                    .contains("created by an earlier version of eventsource: apply "
                            + "dev/eventsource/store/jdbc/migrate-v4-h2.sql from the eventsource-core jar")
                    .doesNotContain("migrate-v2")
                    .doesNotContain("does not exist");
            });
        }

        @Test
        void failsWithAnalysisNamingTheSnapshotMigrationForAV4Database() throws SQLException {
            createTablesWithoutCheckpoints(h2(this.url), true, false);
            this.withH2.withPropertyValues("eventsource.jdbc.initialize-schema=never").run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("table eventsource_events_snapshots does not exist in the h2 database")
                    .contains("created by an earlier version of eventsource: apply "
                            + "dev/eventsource/store/jdbc/migrate-v5-h2.sql from the eventsource-core jar")
                    .doesNotContain("initialize-schema is")
                    .doesNotContain("schema-h2.sql")
                    .doesNotContain("migrate-v4");
            });
        }

        @Test
        void startsAfterTheSnapshotMigrationOfAV4Database() throws SQLException {
            createTablesWithoutCheckpoints(h2(this.url), true, false);
            runScript(h2(this.url), "migrate-v5-h2.sql");
            this.withH2.withPropertyValues("eventsource.jdbc.initialize-schema=never").run((context) -> {
                assertThat(context).hasNotFailed();
                repository(context).apply(new Person.Register("p-1", "Ada"));
            });
        }

        @Test
        void createsTheSnapshotsTableOfAV4DatabaseWhenItInitializesTheSchema() throws SQLException {
            createTablesWithoutCheckpoints(h2(this.url), true, false);
            this.withH2.run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(count(context.getBean(DataSource.class), "eventsource_events_snapshots")).isZero();
            });
        }

        @Test
        void failsWithAnalysisWhenLockTableIsMissing() throws SQLException {
            execute(h2(this.url), OLD_EVENTS_TABLE.replace("payload VARCHAR(4000) NOT NULL",
                    "payload JSON NOT NULL, metadata JSON NOT NULL, revision INT NOT NULL DEFAULT 1"));
            this.withH2.withPropertyValues("eventsource.jdbc.initialize-schema=never").run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("tables eventsource_events_lock, eventsource_events_snapshots do not exist")
                    .contains("schema-h2.sql")
                    .doesNotContain("eventsource_events does not exist");
            });
        }

        @Test
        void failsWhenSubscriptionsNeedTheMissingCheckpointsTable() throws SQLException {
            createTablesWithoutCheckpoints(h2(this.url));
            this.withH2.withPropertyValues("eventsource.jdbc.initialize-schema=never")
                .withBean(Names.class)
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                        .contains("tables eventsource_events_checkpoints, eventsource_events_dead_letters do not exist")
                        .contains("schema-h2.sql");
                });
        }

        @Test
        void startsWithoutCheckpointsTableWhenNoSubscriptionNeedsIt() throws SQLException {
            createTablesWithoutCheckpoints(h2(this.url));
            this.withH2.withPropertyValues("eventsource.jdbc.initialize-schema=never").run((context) -> {
                assertThat(context).hasNotFailed();
                repository(context).apply(new Person.Register("p-1", "Ada"));
            });
        }

        @Test
        void acceptsSchemaQualifiedMixedCaseTableName() throws SQLException {
            execute(h2(this.url), "CREATE SCHEMA App");
            this.withH2.withPropertyValues("eventsource.jdbc.table-name=App.Events", "eventsource.jdbc.initialize-schema=always")
                .withBean(Names.class)
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    repository(context).apply(new Person.Register("p-1", "Ada"));
                    assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                        .queryForObject("SELECT COUNT(*) FROM app.events", Integer.class)).isEqualTo(1);
                });
        }

        @Test
        void logsTheChosenStoreOnceWithoutTheUrl(CapturedOutput output) {
            this.withH2.run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(output.getAll().split("Event store: JDBC, table eventsource_events on h2, json payloads",
                        -1)).hasSize(2);
                assertThat(output.getAll()).doesNotContain(this.url);
            });
        }

        @Test
        void logsTheMemoryStore(CapturedOutput output) {
            StartUpChecksTests.this.contextRunner.run((context) -> assertThat(output.getAll())
                .contains("Event store: in memory, events are lost when the application stops (the application "
                        + "context has no DataSource)"));
        }
    }

    @Nested
    class WithSeveralDataSources {

        @Test
        void failsWithAnalysisWhenAutoAndNoneIsPrimaryOrQualified() {
            StartUpChecksTests.this.contextRunner.withUserConfiguration(TwoDataSources.class).run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(NoUniqueDataSourceException.class);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("eventsource.store.type is 'auto' and the application context has 2 DataSource beans "
                            + "(first, second), none of them @Primary or qualified @EventSourceDataSource")
                    .contains("Mark the DataSource that holds the events @Primary, or annotate its @Bean method with "
                            + "@dev.eventsource.autoconfigure.EventSourceDataSource")
                    .contains("eventsource.store.type=memory");
            });
        }

        @Test
        void failsWithAnalysisWhenJdbcAndNoneIsPrimaryOrQualified() {
            StartUpChecksTests.this.contextRunner.withUserConfiguration(TwoDataSources.class)
                .withPropertyValues("eventsource.store.type=jdbc")
                .run((context) -> assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("eventsource.store.type is 'jdbc' and the application context has 2 DataSource beans"));
        }

        @Test
        void usesThePrimaryDataSource() {
            StartUpChecksTests.this.contextRunner.withUserConfiguration(TwoDataSources.class, PrimaryThird.class)
                .run((context) -> {
                    assertThat(context).getBean(Store.class).isInstanceOf(JdbcStore.class);
                    repository(context).apply(new Person.Register("p-1", "Ada"));
                    assertThat(count(context.getBean("third", DataSource.class), "eventsource_events")).isEqualTo(1);
                });
        }

        @Test
        void usesTheQualifiedDataSourceForStoreSchemaAndCheckpoints() {
            StartUpChecksTests.this.contextRunner.withUserConfiguration(TwoDataSources.class, PrimaryThird.class,
                    QualifiedEvents.class)
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    repository(context).apply(new Person.Register("p-1", "Ada"));
                    DataSource events = context.getBean("events", DataSource.class);
                    assertThat(count(events, "eventsource_events")).isEqualTo(1);
                    assertThat(context.getBean(JdbcCheckpointStore.class).position("never-ran")).isEmpty();
                    assertThat(tableCount(events, "EVENTSOURCE_EVENTS_CHECKPOINTS")).isOne();
                    assertThat(tableCount(context.getBean("third", DataSource.class), "EVENTSOURCE_EVENTS")).isZero();
                });
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnPostgreSql {

        /** @return a new, empty database of the shared server */
        private DataSource newDatabase() throws SQLException {
            return EmbeddedPostgresServer.shared().createDatabase("startup").dataSource();
        }

        @Test
        void failsWithAnalysisWhenEventsTableIsMissingWithDefaultSettings() throws SQLException {
            DataSource database = newDatabase();
            StartUpChecksTests.this.contextRunner.withBean(DataSource.class, () -> database).run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("tables eventsource_events, eventsource_events_snapshots do not exist in the postgresql"
                            + " database (eventsource.jdbc.initialize-schema is 'embedded', which creates tables in"
                            + " embedded databases only)")
                    .contains("Set eventsource.jdbc.initialize-schema=always")
                    .contains("dev/eventsource/store/jdbc/schema-postgresql.sql from the eventsource-core jar");
            });
        }

        @Test
        void failsWithAnalysisNamingMissingColumnsOfAnOlderTable() throws SQLException {
            DataSource database = newDatabase();
            execute(database, OLD_EVENTS_TABLE.replace("VARCHAR(4000)", "JSONB"));
            StartUpChecksTests.this.contextRunner.withBean(DataSource.class, () -> database)
                .withPropertyValues("eventsource.jdbc.initialize-schema=always")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                        .contains("table eventsource_events lacks columns revision, metadata, id in the postgresql"
                                + " database")
                        .contains("apply dev/eventsource/store/jdbc/migrate-v2-postgresql.sql and then"
                                + " dev/eventsource/store/jdbc/migrate-v3-postgresql.sql and then"
                                + " dev/eventsource/store/jdbc/migrate-v4-postgresql.sql from the eventsource-core"
                                + " jar");
                });
        }

        @Test
        void failsWithAnalysisNamingTheRevisionMigrationForATableWithoutRevisions() throws SQLException {
            DataSource database = newDatabase();
            execute(database, OLD_EVENTS_TABLE.replace("payload VARCHAR(4000) NOT NULL",
                    "payload JSONB NOT NULL, metadata JSONB NOT NULL, id BIGINT"));
            StartUpChecksTests.this.contextRunner.withBean(DataSource.class, () -> database)
                .withPropertyValues("eventsource.jdbc.initialize-schema=always")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                        .contains("table eventsource_events lacks column revision in the postgresql database")
                        .contains("apply dev/eventsource/store/jdbc/migrate-v4-postgresql.sql from the"
                                + " eventsource-core jar")
                        .doesNotContain("migrate-v2")
                        .doesNotContain("migrate-v3");
                });
        }

        @Test
        void failsWithAnalysisNamingTheSnapshotMigrationForAV4Database() throws SQLException {
            DataSource database = newDatabase();
            execute(database, OLD_EVENTS_TABLE.replace("payload VARCHAR(4000) NOT NULL",
                    "payload JSONB NOT NULL, metadata JSONB NOT NULL, id BIGINT, revision INT NOT NULL DEFAULT 1"));
            StartUpChecksTests.this.contextRunner.withBean(DataSource.class, () -> database)
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                        .contains("table eventsource_events_snapshots does not exist in the postgresql database")
                        .contains("apply dev/eventsource/store/jdbc/migrate-v5-postgresql.sql from the"
                                + " eventsource-core jar")
                        .doesNotContain("initialize-schema is");
                });
            runScript(database, "migrate-v5-postgresql.sql");
            StartUpChecksTests.this.contextRunner.withBean(DataSource.class, () -> database)
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    repository(context).apply(new Person.Register("p-1", "Ada"));
                });
        }

        @Test
        void failsWhenSubscriptionsNeedTheMissingCheckpointsTable() throws SQLException {
            DataSource database = newDatabase();
            execute(database, OLD_EVENTS_TABLE.replace("payload VARCHAR(4000) NOT NULL",
                    "payload JSONB NOT NULL, metadata JSONB NOT NULL, id BIGINT, revision INT NOT NULL DEFAULT 1"));
            runScript(database, "migrate-v5-postgresql.sql");
            StartUpChecksTests.this.contextRunner.withBean(DataSource.class, () -> database).withBean(Names.class)
                .run((context) -> assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("tables eventsource_events_checkpoints, eventsource_events_dead_letters do not exist in the"
                            + " postgresql database"));
        }

        @Test
        void startsWhenTablesAreCreatedAtStartUp(CapturedOutput output) throws SQLException {
            DataSource database = newDatabase();
            StartUpChecksTests.this.contextRunner.withBean(DataSource.class, () -> database).withBean(Names.class)
                .withPropertyValues("eventsource.jdbc.initialize-schema=always")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    repository(context).apply(new Person.Register("p-1", "Ada"));
                    assertThat(output.getAll()).contains("Event store: JDBC, table eventsource_events on postgresql");
                });
        }

        @Test
        void acceptsSchemaQualifiedMixedCaseTableName() throws SQLException {
            DataSource database = newDatabase();
            execute(database, "CREATE SCHEMA app");
            StartUpChecksTests.this.contextRunner.withBean(DataSource.class, () -> database).withBean(Names.class)
                .withPropertyValues("eventsource.jdbc.table-name=App.Events", "eventsource.jdbc.initialize-schema=always")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    repository(context).apply(new Person.Register("p-1", "Ada"));
                    assertThat(count(database, "app.events")).isEqualTo(1);
                });
        }

        @Test
        void failsWhenTheTableIsInAnotherSchemaThanConfigured() throws SQLException {
            DataSource database = newDatabase();
            execute(database, "CREATE SCHEMA app");
            StartUpChecksTests.this.contextRunner.withBean(DataSource.class, () -> database)
                .withPropertyValues("eventsource.jdbc.initialize-schema=always")
                .run((first) -> assertThat(first).hasNotFailed());
            StartUpChecksTests.this.contextRunner.withBean(DataSource.class, () -> database)
                .withPropertyValues("eventsource.jdbc.table-name=app.eventsource_events")
                .run((context) -> assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("tables app.eventsource_events, app.eventsource_events_snapshots do not exist"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Repository<Person> repository(ApplicationContext context) {
        return (Repository<Person>) context
            .getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, Person.class))
            .getObject();
    }

    private static DataSource h2(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        return dataSource;
    }

    private static void execute(DataSource dataSource, String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static void createTablesWithoutCheckpoints(DataSource dataSource) throws SQLException {
        createTablesWithoutCheckpoints(dataSource, true, true);
    }

    private static void createTablesWithoutCheckpoints(DataSource dataSource, boolean revisions) throws SQLException {
        createTablesWithoutCheckpoints(dataSource, revisions, false);
    }

    /**
     * Creates the events table of today's layout, or of the layout before revisions, and the lock table; and with
     * {@code snapshots} the snapshots table, by the shipped v5 migration.
     */
    private static void createTablesWithoutCheckpoints(DataSource dataSource, boolean revisions, boolean snapshots)
            throws SQLException {
        execute(dataSource, OLD_EVENTS_TABLE.replace("payload VARCHAR(4000) NOT NULL",
                "payload JSON NOT NULL, metadata JSON NOT NULL"
                        + (revisions ? ", revision INT NOT NULL DEFAULT 1" : "")),
                "CREATE TABLE eventsource_events_lock (id INT PRIMARY KEY)",
                "INSERT INTO eventsource_events_lock (id) VALUES (1)");
        if (snapshots) {
            runScript(dataSource, "migrate-v5-h2.sql");
        }
    }

    /** Runs a shipped script of the eventsource-core jar, as a Flyway migration would. */
    private static void runScript(DataSource dataSource, String name) throws SQLException {
        String script;
        try (InputStream in = JdbcStore.class.getResourceAsStream(name)) {
            assertThat(in).as("script %s", name).isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        execute(dataSource, Arrays.stream(sql.toString().split(";\\s*\n")).filter((s) -> !s.isBlank())
            .toArray(String[]::new));
    }

    private static int count(DataSource dataSource, String table) {
        return new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
    }

    private static int tableCount(DataSource dataSource, String table) {
        return new JdbcTemplate(dataSource).queryForObject(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = ?", Integer.class, table);
    }

    private static DataSource newH2() {
        return h2("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    /** A projection that runs as a subscription, so the checkpoints table is needed. */
    @Projection("names")
    static class Names {

        @EventHandler
        void on(Person.Registered event) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {

        @Bean
        DataSource first() {
            return newH2();
        }

        @Bean
        DataSource second() {
            return newH2();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrimaryThird {

        @Bean
        @Primary
        DataSource third() {
            return newH2();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedEvents {

        @Bean
        @EventSourceDataSource
        DataSource events() {
            return newH2();
        }
    }
}
