package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.app.Person;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ResolvableType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Flyway migrations and Liquibase changelog for MariaDB, run by the real tools on the server that
 * {@value RepositoryContentionInTransactionTests#MARIADB_URL_VARIABLE} names (skipped without it, failing when it is
 * set and the server does not answer). The database is shared, so every table, and each tool's history table, has
 * a name of its own, dropped afterwards.
 */
class MigrationToolsOnMariaDbTests {

    private final String table = "mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private DataSource dataSource;

    private ApplicationContextRunner contextRunner() {
        // Not the pool itself: the context would close it on shutdown, and other tests share it.
        this.dataSource = new DelegatingDataSource(RepositoryContentionInTransactionTests.mariaDb());
        DataSource database = this.dataSource;
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class))
            .withBean(DataSource.class, () -> database)
            .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.app",
                    "eventsource.jdbc.table-name=" + this.table, "eventsource.jdbc.initialize-schema=never");
    }

    @AfterEach
    void dropTables() {
        if (this.dataSource != null) {
            JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
            for (String suffix : new String[] { "", "_lock", "_checkpoints", "_snapshots", "_flyway", "_changelog",
                    "_changelog_lock" }) {
                jdbc.execute("DROP TABLE IF EXISTS " + this.table + suffix);
            }
        }
    }

    @Test
    void flywayMigratesTheMariaDbLayout() {
        contextRunner().withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
            .withPropertyValues("spring.flyway.enabled=true",
                    "spring.flyway.locations=classpath:dev/eventsource/store/jdbc/flyway/{vendor}",
                    "spring.flyway.placeholders.eventsource-table=" + this.table,
                    "spring.flyway.table=" + this.table + "_flyway",
                    // The shared database holds other tables: Flyway starts below the first migration.
                    "spring.flyway.baseline-on-migrate=true", "spring.flyway.baseline-version=0")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(new JdbcTemplate(this.dataSource).queryForList("SELECT version FROM " + this.table
                        + "_flyway WHERE success = 1 AND version <> '0' ORDER BY installed_rank", String.class))
                    .containsExactly("0.1", "0.2", "0.4", "0.5", "0.6");
                assertStores(context);
            });
    }

    @Test
    void liquibaseRunsTheMariaDbChangeSetsOnly() {
        contextRunner().withConfiguration(AutoConfigurations.of(LiquibaseAutoConfiguration.class))
            .withPropertyValues("spring.liquibase.enabled=true",
                    "spring.liquibase.change-log=classpath:dev/eventsource/store/jdbc/liquibase/"
                            + "db.changelog-eventsource.yaml",
                    "spring.liquibase.parameters.eventsource-table=" + this.table,
                    "spring.liquibase.database-change-log-table=" + this.table + "_changelog",
                    "spring.liquibase.database-change-log-lock-table=" + this.table + "_changelog_lock")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(new JdbcTemplate(this.dataSource).queryForList("SELECT ID FROM " + this.table
                        + "_changelog ORDER BY ORDEREXECUTED", String.class))
                    .containsExactly("eventsource-0.1-mariadb", "eventsource-0.2-mariadb", "eventsource-0.4-mariadb",
                            "eventsource-0.5-mariadb", "eventsource-0.6-mariadb");
                assertStores(context);
            });
    }

    @SuppressWarnings("unchecked")
    private void assertStores(AssertableApplicationContext context) {
        Repository<Person> people = (Repository<Person>) context
            .getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, Person.class))
            .getObject();
        people.apply(new Person.Register("p-1", "Ada"));
        assertThat(new JdbcTemplate(this.dataSource).queryForObject("SELECT COUNT(*) FROM " + this.table,
                Integer.class)).isOne();
    }
}
