package dev.eventsource.kafka.autoconfigure;

import dev.eventsource.Record;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.EventSourceAutoConfiguration;
import dev.eventsource.kafka.EventMessages;
import dev.eventsource.kafka.InvalidTopicNameException;
import dev.eventsource.kafka.KafkaRelay;
import dev.eventsource.kafka.MicrometerKafkaRelayMetrics;
import dev.eventsource.subscription.Subscription;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventSourceKafkaAutoConfigurationTests {

    private static EmbeddedKafkaKraftBroker broker;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class,
                KafkaAutoConfiguration.class, EventSourceKafkaAutoConfiguration.class,
                EventSourceKafkaHealthAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.kafka.autoconfigure.none",
                "eventsource.store.type=memory");

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 2);
        broker.brokerProperty("auto.create.topics.enable", "true");
        broker.afterPropertiesSet();
    }

    @Test
    void backsOffUnlessEnabled() {
        this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaRelay.class));
    }

    @Test
    void backsOffWithoutTheKafkaClient() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(KafkaProducer.class))
            .withPropertyValues("eventsource.kafka.enabled=true")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KafkaRelay.class));
    }

    @Test
    void publishesToTheBrokerOfSpringKafkaPropertiesWithMetricsAndHealth() {
        String topic = "auto-" + UUID.randomUUID();
        this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("eventsource.kafka.enabled=true", "eventsource.kafka.topic=" + topic,
                    "eventsource.kafka.poll-interval=50ms", "spring.application.name=billing",
                    "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString())
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(KafkaRelay.class)
                    .hasSingleBean(KafkaRelayHealthIndicator.class);
                assertThat(context.getBean(Subscription.class)).isSameAs(context.getBean(KafkaRelay.class)
                    .subscription());
                Store store = context.getBean(Store.class);
                store.save("invoice-1", record("Invoice", "invoice-1", 1), record("Invoice", "invoice-1", 2));
                List<ConsumerRecord<String, byte[]>> received = receive(topic, 2);
                assertThat(received).extracting(ConsumerRecord::key).containsExactly("invoice-1", "invoice-1");
                assertThat(new String(received.get(0).headers().lastHeader("ce_source").value(),
                        StandardCharsets.UTF_8)).isEqualTo("billing");
                assertThat(EventMessages.parse(received.get(1)).version()).isEqualTo(2);

                KafkaRelay relay = context.getBean(KafkaRelay.class);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (relay.subscription().position() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get(MicrometerKafkaRelayMetrics.SENT).counter().count()).isEqualTo(2);
                assertThat(registry.get(MicrometerKafkaRelayMetrics.ACKNOWLEDGED).counter().count()).isEqualTo(2);
                assertThat(registry.get(MicrometerKafkaRelayMetrics.LAG).timer().count()).isEqualTo(2);
                assertThat(registry.get("eventsource.subscription.events.processed").tag("subscription",
                        "kafka-relay").counter().count()).isEqualTo(2);
                Health health = context.getBean(KafkaRelayHealthIndicator.class).health(true);
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("position", 2L);
            });
    }

    @Test
    void goesOnFromItsCheckpointAfterTheContextIsStoppedAndStartedAgain() {
        String topic = "restart-" + UUID.randomUUID();
        this.contextRunner
            .withPropertyValues("eventsource.kafka.enabled=true", "eventsource.kafka.topic=" + topic,
                    "eventsource.kafka.poll-interval=50ms",
                    "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString())
            .run((context) -> {
                Store store = context.getBean(Store.class);
                KafkaRelay relay = context.getBean(KafkaRelay.class);
                store.save("invoice-1", record("Invoice", "invoice-1", 1));
                awaitPosition(relay, 1);

                context.getSourceApplicationContext().stop();
                assertThat(relay.subscription().state()).isEqualTo(Subscription.State.STOPPED);
                store.save("invoice-1", record("Invoice", "invoice-1", 2));
                context.getSourceApplicationContext().start();
                store.save("invoice-1", record("Invoice", "invoice-1", 3));
                awaitPosition(relay, 3);

                assertThat(relay.subscription().state()).isEqualTo(Subscription.State.ACTIVE);
                assertThat(context.getBean(Subscription.class)).isSameAs(relay.subscription());
                // Each event once: the stop checkpointed what was sent, the start went on from there.
                assertThat(receive(topic, 3)).extracting((message) -> EventMessages.parse(message).version())
                    .containsExactly(1L, 2L, 3L);
            });
    }

    @Test
    void healthIsDownWhenTheRelayHalted() {
        this.contextRunner
            .withPropertyValues("eventsource.kafka.enabled=true", "eventsource.kafka.topic=events.{aggregateType}",
                    "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString())
            .run((context) -> {
                context.getBean(Store.class).save("x-1", record("Not a topic", "x-1", 1));
                KafkaRelay relay = context.getBean(KafkaRelay.class);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!relay.isHalted() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Health health = context.getBean(KafkaRelayHealthIndicator.class).health(true);
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(String.valueOf(health.getDetails().get("failure"))).contains("Invalid Kafka topic");
            });
    }

    @Test
    void healthIsDownWhenTheBrokerIsUnreachableBeyondTheThreshold() {
        this.contextRunner
            .withPropertyValues("eventsource.kafka.enabled=true", "eventsource.kafka.unreachable-threshold=1s",
                    "eventsource.kafka.poll-interval=100ms",
                    "spring.kafka.bootstrap-servers=localhost:1",
                    "spring.kafka.producer.properties[max.block.ms]=500",
                    "spring.kafka.producer.properties[delivery.timeout.ms]=1000",
                    "spring.kafka.producer.properties[request.timeout.ms]=500")
            .run((context) -> {
                KafkaRelayHealthIndicator indicator = context.getBean(KafkaRelayHealthIndicator.class);
                assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
                context.getBean(Store.class).save("x-1", record("Order", "x-1", 1));
                Thread.sleep(3000);
                Health health = indicator.health(true);
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(String.valueOf(health.getDetails().get("reason"))).contains("has not acknowledged");
                assertThat(context.getBean(KafkaRelay.class).isHalted()).isFalse();
            });
    }

    @Test
    void failsAtStartUpOnAnInvalidTopicWithAnAnalysis() {
        this.contextRunner.withPropertyValues("eventsource.kafka.enabled=true", "eventsource.kafka.topic=my events")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidTopicNameException.class)
                    .hasMessageContaining("'my events'");
                FailureAnalysis analysis = new InvalidTopicNameFailureAnalyzer()
                    .analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("letters, digits");
                assertThat(analysis.getAction()).contains("eventsource.kafka.topic");
            });
    }

    private static void awaitPosition(KafkaRelay relay, long position) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (relay.subscription().position() < position && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(relay.subscription().position()).as("the relay's checkpoint").isEqualTo(position);
    }

    private static Record record(String aggregateType, String aggregateId, long version) {
        return new Record(aggregateType, aggregateId, version, "Noted", 1, Instant.now(),
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8), Map.of(), null, 0);
    }

    private static List<ConsumerRecord<String, byte[]>> receive(String topic, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<TopicPartition> partitions = new ArrayList<>();
            while (received.size() < count && System.nanoTime() < deadline) {
                if (partitions.isEmpty()) {
                    consumer.partitionsFor(topic).forEach((p) -> partitions.add(new TopicPartition(topic,
                            p.partition())));
                    if (partitions.isEmpty()) {
                        Thread.onSpinWait();
                        continue;
                    }
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
            }
        }
        return received;
    }
}
