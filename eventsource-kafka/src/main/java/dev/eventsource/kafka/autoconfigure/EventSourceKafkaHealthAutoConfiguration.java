package dev.eventsource.kafka.autoconfigure;

import dev.eventsource.kafka.KafkaRelay;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The Kafka relay's health indicator ({@code eventsourceKafka}), when Spring Boot's health support is present and
 * the relay runs.
 */
@AutoConfiguration(after = EventSourceKafkaAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, KafkaRelay.class })
@ConditionalOnBean(KafkaRelay.class)
@ConditionalOnEnabledHealthIndicator("eventsourceKafka")
public final class EventSourceKafkaHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "eventsourceKafkaHealthIndicator")
    KafkaRelayHealthIndicator eventsourceKafkaHealthIndicator(KafkaRelay relay, EventSourceKafkaProperties properties) {
        return new KafkaRelayHealthIndicator(relay, properties.getUnreachableThreshold());
    }
}
