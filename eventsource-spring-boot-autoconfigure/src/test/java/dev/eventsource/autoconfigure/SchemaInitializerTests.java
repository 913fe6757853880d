package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.store.jdbc.InvalidTableNameException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ResolvableType;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up schema initializer: Spring Boot's script initializer with the settings
 * {@code eventsource.jdbc.schema-locations} and {@code initialize-schema}, the table name and payload format
 * substituted into the scripts, beside Boot's own {@code spring.sql.init}.
 */
class SchemaInitializerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class,
                DataSourceAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.app",
                "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void isOneOfBootsScriptInitializersAndRunsBeforeTheStore() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(EventSourceSchemaInitializer.class))
                .isInstanceOf(DataSourceScriptDatabaseInitializer.class);
            assertThat(context.getBean(EventSourceSchemaInitializer.class).isInitialized()).isTrue();
            assertThat(context.getBeanFactory().getBeanDefinition("eventSourceStore").getDependsOn())
                .contains("eventSourceSchemaInitializer");
        });
    }

    @Test
    void runsEveryConfiguredLocationWithTheTableNameSubstituted() {
        this.contextRunner
            .withPropertyValues("eventsource.jdbc.table-name=app_events",
                    "eventsource.jdbc.schema-locations=classpath:dev/eventsource/store/jdbc/schema-@@platform@@.sql,"
                            + "classpath:custom/eventsource-audit-@@platform@@.sql")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                repository(context).apply(new Person.Register("p-1", "Ada"));
                DataSource dataSource = context.getBean(DataSource.class);
                assertThat(count(dataSource, "app_events")).isOne();
                assertThat(count(dataSource, "app_events_audit")).isZero();
                assertThat(tables(dataSource)).doesNotContain("EVENTSOURCE_EVENTS", "EVENTSOURCE_EVENTS_AUDIT");
            });
    }

    @Test
    void failsWhenAConfiguredLocationHasNoScript() {
        this.contextRunner.withPropertyValues("eventsource.jdbc.schema-locations=classpath:nowhere/schema.sql")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("No schema scripts found at location 'classpath:nowhere/schema.sql'");
            });
    }

    @Test
    void rejectsAnInvalidTableNameBeforeAnyScriptRuns() {
        this.contextRunner.withPropertyValues("eventsource.jdbc.table-name=events;drop")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(InvalidTableNameException.class);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("eventsource.jdbc.table-name");
            });
    }

    @Test
    void neverRunsNoScriptAndTheCheckNamesTheMissingTables() {
        this.contextRunner.withPropertyValues("eventsource.jdbc.initialize-schema=never",
                "eventsource.jdbc.schema-locations=classpath:nowhere/schema.sql")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(IncompleteSchemaException.class);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("eventsource.jdbc.initialize-schema is 'never'");
            });
    }

    @Test
    void createsABinaryPayloadColumnForCborPayloads() {
        this.contextRunner.withPropertyValues("eventsource.serializer.format=cbor").run((context) -> {
            assertThat(context).hasNotFailed();
            repository(context).apply(new Person.Register("p-1", "Ada"));
            assertThat(new JdbcTemplate(context.getBean(DataSource.class)).queryForObject(
                    "SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'EVENTSOURCE_EVENTS'"
                            + " AND COLUMN_NAME = 'PAYLOAD'", String.class))
                .isEqualTo("BINARY LARGE OBJECT");
        });
    }

    @Test
    void leavesBootsOwnSqlInitializationRunning() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceInitializationAutoConfiguration.class))
            .withPropertyValues("spring.sql.init.schema-locations=classpath:custom/sql-init-schema.sql")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(tables(context.getBean(DataSource.class))).contains("SQL_INIT_MARKER",
                        "EVENTSOURCE_EVENTS");
            });
    }

    @Test
    void isLeftOutWithoutBootsScriptInitializer() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        new ApplicationContextRunner()
            .withClassLoader(new FilteredClassLoader(DataSourceScriptDatabaseInitializer.class))
            .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class,
                    JacksonAutoConfiguration.class))
            .withBean(DataSource.class, () -> h2)
            .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.app",
                    "eventsource.store.type=memory")
            .run((context) -> {
                // Without spring-boot-jdbc the JDBC store backs off (ClasspathConditionsTests: with a DataSource
                // and the type left at auto, start-up fails): no initializer runs.
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(EventSourceSchemaInitializer.class);
                assertThat(context).getBean(dev.eventsource.Store.class)
                    .isInstanceOf(dev.eventsource.store.memory.MemoryStore.class);
            });
    }

    @SuppressWarnings("unchecked")
    private static Repository<Person> repository(AssertableApplicationContext context) {
        return (Repository<Person>) context
            .getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, Person.class))
            .getObject();
    }

    private static int count(DataSource dataSource, String table) {
        Integer count = new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
        return (count != null) ? count : -1;
    }

    private static List<String> tables(DataSource dataSource) {
        return new JdbcTemplate(dataSource).queryForList(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'", String.class);
    }
}
