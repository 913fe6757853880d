package dev.eventsource.kafka.autoconfigure;

import dev.eventsource.PayloadFormat;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.kafka.KafkaRelay;
import dev.eventsource.kafka.KafkaRelayMetrics;
import dev.eventsource.kafka.KafkaTopic;
import dev.eventsource.kafka.MicrometerKafkaRelayMetrics;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.Map;

/**
 * Publishes the event stream to Kafka with a {@link KafkaRelay} when {@code eventsource.kafka.enabled=true} and the
 * Kafka client is on the classpath. The producer is configured by Spring Boot's {@code spring.kafka.*} properties
 * (and {@link KafkaConnectionDetails}), with the settings the relay relies on in force
 * ({@link KafkaRelay#producerConfig}).
 */
@AutoConfiguration(afterName = { "dev.eventsource.autoconfigure.EventSourceAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ KafkaProducer.class, KafkaProperties.class })
@ConditionalOnBooleanProperty("eventsource.kafka.enabled")
@EnableConfigurationProperties(EventSourceKafkaProperties.class)
public final class EventSourceKafkaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({ Store.class, CheckpointStore.class })
    KafkaRelay eventSourceKafkaRelay(Store store, ObjectProvider<Serializer> serializer, CheckpointStore checkpoints,
            EventSourceKafkaProperties properties, KafkaProperties kafkaProperties,
            ObjectProvider<KafkaConnectionDetails> connectionDetails, ObjectProvider<SubscriptionMetrics> metrics,
            ObjectProvider<KafkaRelayMetrics> relayMetrics, Environment environment) {
        KafkaTopic topic = KafkaTopic.of(properties.getTopic());
        Map<String, Object> settings = kafkaProperties.buildProducerProperties();
        KafkaConnectionDetails details = connectionDetails.getIfAvailable();
        if (details != null) {
            applyConnectionDetails(settings, details.getProducer());
        }
        Map<String, Object> config = KafkaRelay.producerConfig(settings);
        String source = (properties.getSource() != null) ? properties.getSource()
                : environment.getProperty("spring.application.name", "eventsource");
        Serializer events = serializer.getIfAvailable();
        PayloadFormat format = (store instanceof JdbcStore jdbc) ? jdbc.payloadFormat()
                : (events != null) ? events.format() : PayloadFormat.JSON;
        return KafkaRelay.builder(store, () -> new KafkaProducer<>(config), topic)
            .name(properties.getName())
            .source(source)
            .payloadFormat(format)
            .window(properties.getWindow())
            .metrics(relayMetrics.getIfAvailable(() -> KafkaRelayMetrics.NONE))
            .subscription((subscription) -> subscription.checkpoints(checkpoints)
                .metrics(metrics.getIfAvailable(() -> SubscriptionMetrics.NONE))
                .batchSize(properties.getBatchSize())
                .pollInterval(properties.getPollInterval())
                .startFrom(properties.getStartFrom())
                .backoff(properties.getBackoff(), properties.getMaxBackoff())
                .leaseTime(properties.getLeaseTime())
                .renewInterval(properties.getRenewInterval()))
            .build();
    }

    @Bean
    @ConditionalOnBean(KafkaRelay.class)
    Subscription eventSourceKafkaRelaySubscription(KafkaRelay relay) {
        return relay.subscription();
    }

    @Bean
    @ConditionalOnBean(KafkaRelay.class)
    KafkaRelayLifecycle eventSourceKafkaRelayLifecycle(KafkaRelay relay, Store store) {
        return new KafkaRelayLifecycle(relay, store);
    }

    private static void applyConnectionDetails(Map<String, Object> settings,
            KafkaConnectionDetails.Configuration producer) {
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, producer.getBootstrapServers());
        SslBundle sslBundle = producer.getSslBundle();
        if (sslBundle != null) {
            settings.put("ssl.engine.factory.class", SslBundleSslEngineFactory.class);
            settings.put(SslBundle.class.getName(), sslBundle);
        }
        String securityProtocol = producer.getSecurityProtocol();
        if (securityProtocol != null) {
            settings.put("security.protocol", securityProtocol);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class RelayMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        KafkaRelayMetrics eventSourceKafkaRelayMetrics(MeterRegistry registry) {
            return new MicrometerKafkaRelayMetrics(registry);
        }
    }
}
