package dev.eventsource.kafka;

import dev.eventsource.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay on one database, against a real broker: exactly the committed events, in order per aggregate. */
abstract class KafkaRelayTestBase extends RelayTestBase {

    @Test
    @DisplayName("writers commit and roll back while the relay runs: exactly the committed events arrive, each once,"
            + " in version order per aggregate, each aggregate in one partition, and the checkpoint reaches the head")
    void exactlyTheCommittedEventsArriveInOrder() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("orders");
        KafkaRelay relay = relay(broker, topic, (builder) -> {
        });
        relay.start();
        int events = writeWithRollbacks(4, 60);
        assertThat(events).isEqualTo(committedCount()).isPositive();

        KafkaConsumer<String, byte[]> consumer = consumer(broker, topic);
        List<ConsumerRecord<String, byte[]>> received = receiveAllCommitted(consumer, new ArrayList<>());
        awaitPosition(relay, database.store.lastPosition());
        // Anything late would arrive now.
        TestBroker.pollUntil(consumer, received, (messages) -> false, java.time.Duration.ofMillis(500));

        assertThat(all(received)).isEqualTo(expected());
        assertThat(received).hasSize(events);
        assertOnePartitionPerKey(received);
    }

    @Test
    @DisplayName("a message carries the CloudEvents binary-mode headers, the metadata, the aggregate id as key and the"
            + " stored payload as value")
    void messagesAreCloudEvents() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("format");
        KafkaRelay relay = relay(broker, topic, (builder) -> {
        });
        append("order-1", 2);
        relay.start();
        KafkaConsumer<String, byte[]> consumer = consumer(broker, topic);
        List<ConsumerRecord<String, byte[]>> received = receiveAllCommitted(consumer, new ArrayList<>());

        Record stored = database.store.load("order-1").get(1);
        ConsumerRecord<String, byte[]> message = received.get(1);
        assertThat(message.key()).isEqualTo("order-1");
        assertThat(message.value()).isEqualTo(stored.data());
        assertThat(header(message, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(message, "ce_id")).isEqualTo("orders-service:" + stored.position());
        assertThat(header(message, "ce_source")).isEqualTo("orders-service");
        assertThat(header(message, "ce_type")).isEqualTo("Noted");
        assertThat(header(message, "ce_subject")).isEqualTo("order-1");
        assertThat(header(message, "ce_time")).isEqualTo(stored.at().toString());
        assertThat(header(message, "ce_aggregatetype")).isEqualTo("Order");
        assertThat(header(message, "ce_version")).isEqualTo("2");
        assertThat(header(message, "ce_position")).isEqualTo(Long.toString(stored.position()));
        assertThat(header(message, "ce_revision")).isEqualTo("1");
        assertThat(header(message, "es_metadata_user")).isEqualTo("ada");
        assertThat(header(message, "es_metadata_trace%20id")).isEqualTo("t-2");
        assertThat(header(message, "content-type")).isEqualTo("application/json");
        assertThat(EventMessages.parse(message)).isEqualTo(stored);
    }

    static String header(ConsumerRecord<String, byte[]> message, String name) {
        return message.headers().lastHeader(name) == null ? null
                : new String(message.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
