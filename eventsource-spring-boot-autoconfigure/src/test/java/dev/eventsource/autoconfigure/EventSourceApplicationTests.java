package dev.eventsource.autoconfigure;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.app.Account;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.autoconfigure.app.PersonService;
import dev.eventsource.autoconfigure.app.RecordingListeners;
import dev.eventsource.autoconfigure.app.TestApplication;
import dev.eventsource.store.jdbc.JdbcDialect;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A whole Spring Boot application on the auto-configuration, on H2 and on a real PostgreSQL server: repositories
 * injected by generic type, and events that commit or roll back with the caller's transaction.
 */
class EventSourceApplicationTests {

    abstract static class ApplicationTests {

        @Autowired
        Repository<Person> people;

        @Autowired
        Repository<Account> accounts;

        @Autowired
        PersonService service;

        @Autowired
        RecordingListeners listeners;

        @Autowired
        JdbcTemplate jdbc;

        @BeforeEach
        void createReadModel() {
            this.jdbc.execute("CREATE TABLE IF NOT EXISTS person_names (id VARCHAR(64) PRIMARY KEY, name VARCHAR(64))");
        }

        @Test
        void appliesCommandsToTwoAggregateTypesAndLoadsThemBack() {
            String person = id();
            String account = id();
            assertThat(this.people.apply(new Person.Register(person, "Ada"))).isEqualTo(1);
            assertThat(this.people.apply(new Person.Rename(person, "Ada Lovelace"))).isEqualTo(2);
            this.accounts.apply(new Account.Deposit(account, new BigDecimal("10.25")));
            this.accounts.apply(new Account.Deposit(account, new BigDecimal("4.75")));
            assertThat(((DataAccessTranslatingStore) this.people.store()).delegate()).isInstanceOf(JdbcStore.class);
            assertThat(this.people.load(person).name()).isEqualTo("Ada Lovelace");
            assertThat(this.people.load(person).version()).isEqualTo(2);
            assertThat(this.accounts.load(account).balance()).isEqualByComparingTo("15.00");
        }

        @Test
        void commitsEventsAndOwnRowTogether() {
            String person = id();
            this.service.register(person, "Grace", false);
            assertThat(this.people.load(person).name()).isEqualTo("Grace");
            assertThat(this.service.nameRows(person)).isEqualTo(1);
            assertThat(this.listeners.observed).contains(person);
            assertThat(this.listeners.listened).contains(person);
            assertThat(this.listeners.afterCommit).contains(person);
        }

        @Test
        void rollsBackEventsAndOwnRowTogetherAndTellsNoListener() {
            String person = id();
            assertThatIllegalStateException().isThrownBy(() -> this.service.register(person, "Grace", true));
            assertThatExceptionOfType(AggregateNotFoundException.class).isThrownBy(() -> this.people.load(person));
            assertThat(this.service.nameRows(person)).isZero();
            assertThat(this.listeners.observed).doesNotContain(person);
            assertThat(this.listeners.listened).doesNotContain(person);
            assertThat(this.listeners.afterCommit).doesNotContain(person);
        }

        private static String id() {
            return UUID.randomUUID().toString();
        }
    }

    @Nested
    @SpringBootTest(classes = TestApplication.class,
            properties = "spring.datasource.url=jdbc:h2:mem:eventsource-app;DB_CLOSE_DELAY=-1")
    class OnH2 extends ApplicationTests {

        @Autowired
        JdbcStore store;

        @Test
        void usesH2Dialect() {
            assertThat(this.store.dialect()).isEqualTo(JdbcDialect.H2);
        }
    }

    @Nested
    @SpringBootTest(classes = { TestApplication.class, OnPostgreSql.EmbeddedPostgreSql.class },
            properties = "eventsource.jdbc.initialize-schema=always")
    class OnPostgreSql extends ApplicationTests {

        @Autowired
        JdbcStore store;

        @Test
        void usesPostgreSqlDialect() {
            assertThat(this.store.dialect()).isEqualTo(JdbcDialect.POSTGRESQL);
        }

        @TestConfiguration(proxyBeanMethods = false)
        static class EmbeddedPostgreSql {

            @Bean
            DataSource dataSource() {
                return EmbeddedPostgresServer.shared().createDatabase("application").dataSource();
            }
        }
    }
}
