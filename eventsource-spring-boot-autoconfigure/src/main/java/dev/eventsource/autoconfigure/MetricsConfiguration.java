package dev.eventsource.autoconfigure;

import dev.eventsource.RepositoryMetrics;
import dev.eventsource.micrometer.MicrometerRepositoryMetrics;
import dev.eventsource.micrometer.MicrometerSubscriptionMetrics;
import dev.eventsource.subscription.SubscriptionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer metrics of every repository and subscription, when a {@link MeterRegistry} bean exists.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "eventsource.metrics.enabled", matchIfMissing = true)
class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RepositoryMetrics eventSourceRepositoryMetrics(MeterRegistry registry) {
        return new MicrometerRepositoryMetrics(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    SubscriptionMetrics eventSourceSubscriptionMetrics(MeterRegistry registry) {
        return new MicrometerSubscriptionMetrics(registry);
    }
}
