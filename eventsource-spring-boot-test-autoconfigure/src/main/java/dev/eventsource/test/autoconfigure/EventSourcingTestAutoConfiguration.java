package dev.eventsource.test.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of an {@link EventSourcingTest}: an injectable
 * {@link dev.eventsource.test.AggregateFixture AggregateFixture&lt;A&gt;} for each aggregate that has a repository.
 */
@AutoConfiguration(afterName = "dev.eventsource.autoconfigure.EventSourceAutoConfiguration")
public final class EventSourcingTestAutoConfiguration {

    EventSourcingTestAutoConfiguration() {
    }

    @Bean
    static AggregateFixtureRegistrar eventSourceAggregateFixtureRegistrar() {
        return new AggregateFixtureRegistrar();
    }
}
