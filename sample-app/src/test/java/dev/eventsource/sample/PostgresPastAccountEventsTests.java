package dev.eventsource.sample;

import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;

/** Old account events on the JDBC store on PostgreSQL (an embedded server). */
class PostgresPastAccountEventsTests extends PastAccountEventsTests {

    /** A database of its own, and so a context of its own: no other test class's cached context is reused. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Postgres {

        @Bean
        DataSource dataSource() {
            return EmbeddedPostgresServer.shared().createDatabase("past_account_events").dataSource();
        }
    }
}
