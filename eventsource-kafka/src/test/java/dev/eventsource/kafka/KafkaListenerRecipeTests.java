package dev.eventsource.kafka;

import dev.eventsource.PayloadFormat;
import dev.eventsource.Serializer;
import dev.eventsource.autoconfigure.EventSourceAutoConfiguration;
import dev.eventsource.kafka.consumer.KafkaProjection;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.CommonContainerStoppingErrorHandler;
import org.springframework.kafka.listener.CommonErrorHandler;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's consumer recipe in a Spring Boot context: a @KafkaListener hands each message to a KafkaProjection;
 * a message that is not an event stops the container, and the event after it is not applied.
 */
class KafkaListenerRecipeTests {

    private static final String TOPIC = "recipe-" + System.nanoTime();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class,
                KafkaAutoConfiguration.class))
        .withUserConfiguration(ConsumerService.class)
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.kafka.none",
                "eventsource.store.type=memory", "eventsource.subscriptions.order-notes.enabled=false",
                "spring.kafka.consumer.group-id=order-notes", "spring.kafka.consumer.auto-offset-reset=earliest",
                "spring.kafka.consumer.value-deserializer="
                        + "org.apache.kafka.common.serialization.ByteArrayDeserializer");

    @Test
    void aListenerAppliesEventsAndStopsAtAMessageThatIsNotAnEvent() throws Exception {
        TestBroker broker = TestBroker.shared();
        broker.createTopic(TOPIC);
        Serializer publisher = JacksonSerializer.json().bind(Noted.class);
        EventMessages messages = EventMessages.of("orders", PayloadFormat.JSON);
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaRelay.producerConfig(
                broker.producerSettings()))) {
            for (long version = 1; version <= 3; version++) {
                producer.send(messages.toMessage(TOPIC, publisher.marshal(new Noted("order-1", version,
                        Instant.now(), "n")).withAggregateType("Order").withMetadata(Map.of("user", "ada"))
                    .withPosition(version)));
            }
            producer.send(new ProducerRecord<>(TOPIC, "order-1", "not an event".getBytes(StandardCharsets.UTF_8)));
            producer.send(messages.toMessage(TOPIC, publisher.marshal(new Noted("order-1", 4, Instant.now(), "n"))
                .withAggregateType("Order").withMetadata(Map.of("user", "ada")).withPosition(4)));
            producer.flush();
        }
        this.contextRunner.withPropertyValues("spring.kafka.bootstrap-servers=" + broker.bootstrapServers())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                OrderNotes notes = context.getBean(OrderNotes.class);
                KafkaListenerEndpointRegistry registry = context.getBean(KafkaListenerEndpointRegistry.class);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (registry.getListenerContainer("order-notes").isRunning() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(registry.getListenerContainer("order-notes").isRunning()).as("container stopped").isFalse();
                assertThat(notes.applied).containsExactly("order-1@1 by ada", "order-1@2 by ada",
                        "order-1@3 by ada");
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class ConsumerService {

        @Bean
        OrderNotes orderNotes() {
            return new OrderNotes();
        }

        @Bean
        OrderNotesFromKafka orderNotesFromKafka(OrderNotes notes, Serializer serializer) {
            return new OrderNotesFromKafka(notes, serializer);
        }

        @Bean
        CommonErrorHandler kafkaErrorHandler() {
            return new CommonContainerStoppingErrorHandler();
        }
    }

    static class OrderNotesFromKafka {

        private final KafkaProjection projection;

        OrderNotesFromKafka(OrderNotes notes, Serializer serializer) {
            this.projection = KafkaProjection.builder(notes, serializer).build();
        }

        @KafkaListener(id = "order-notes", topics = "#{T(dev.eventsource.kafka.KafkaListenerRecipeTests).topic()}")
        void on(ConsumerRecord<String, byte[]> message) throws Exception {
            this.projection.handle(message);
        }
    }

    public static String topic() {
        return TOPIC;
    }
}
