package dev.eventsource.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.jdbc.JdbcStore;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The PostgreSQL listener's connection lifetime: the property, kept within half of a Hikari pool's maxLifetime. */
class ListenerConnectionLifetimeTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class));

    @Test
    void defaultsToFiveMinutesWellWithinHikarisDefaultMaxLifetime() {
        try (HikariDataSource pool = new HikariDataSource()) {
            Duration configured = new EventSourceProperties().getJdbc().getListenerConnectionLifetime();
            assertThat(configured).isEqualTo(JdbcStore.DEFAULT_LISTENER_CONNECTION_LIFETIME)
                    .isEqualTo(Duration.ofMinutes(5));
            assertThat(ListenerConnectionLifetime.of(pool, configured)).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Test
    void shortensTheLifetimeToHalfOfAShortMaxLifetimeEvenBehindATransactionAwareProxy() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setMaxLifetime(Duration.ofMinutes(2).toMillis());
            assertThat(ListenerConnectionLifetime.of(pool, Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(1));
            assertThat(ListenerConnectionLifetime.of(new TransactionAwareDataSourceProxy(pool),
                    Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(1));
            assertThat(ListenerConnectionLifetime.of(pool, Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
        }
    }

    @Test
    void keepsTheConfiguredLifetimeForOtherDataSourcesAndUnlimitedPools() {
        assertThat(ListenerConnectionLifetime.of(new JdbcDataSource(), Duration.ofMinutes(7)))
                .isEqualTo(Duration.ofMinutes(7));
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setMaxLifetime(0);
            assertThat(ListenerConnectionLifetime.of(pool, Duration.ofMinutes(7))).isEqualTo(Duration.ofMinutes(7));
        }
    }

    @Test
    void bindsThePropertyAndRejectsAZeroLifetime() {
        runner.withPropertyValues("eventsource.jdbc.listener-connection-lifetime=90s").run((context) ->
                assertThat(context.getBean(EventSourceProperties.class).getJdbc().getListenerConnectionLifetime())
                        .isEqualTo(Duration.ofSeconds(90)));
        runner.withPropertyValues("eventsource.jdbc.listener-connection-lifetime=0s").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("eventsource.jdbc.listener-connection-lifetime must be positive");
        });
    }
}
