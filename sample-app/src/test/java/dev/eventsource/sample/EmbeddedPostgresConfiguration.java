package dev.eventsource.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;


/**
 * A fresh database on the test JVM's embedded PostgreSQL server ({@link EmbeddedPostgresServer#shared()}), behind the same Hikari pool as the service uses in
 * production, with a short connection timeout so that a test which holds every connection makes the database
 * unreachable within a second.
 */
@TestConfiguration(proxyBeanMethods = false)
class EmbeddedPostgresConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(EmbeddedPostgresServer.shared().createDatabase("sample").jdbcUrl());
        config.setConnectionTimeout(1000);
        return new HikariDataSource(config);
    }
}
