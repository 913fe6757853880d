package dev.eventsource.kafka;

import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import dev.eventsource.Serializer;
import dev.eventsource.UnknownEventTypeException;
import dev.eventsource.kafka.consumer.EventSequenceGapException;
import dev.eventsource.kafka.consumer.KafkaProjection;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.subscription.MemoryCheckpointStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The consumer side: a @Projection run from the relay's messages; duplicates dropped; bad messages never skipped. */
class KafkaProjectionTests {

    private final Serializer publisher = JacksonSerializer.json().bind(Noted.class);
    private final EventMessages messages = EventMessages.of("orders-service", PayloadFormat.JSON);
    private final List<KafkaRelay> relays = new ArrayList<>();
    private long offset;

    @AfterEach
    void stopRelays() {
        relays.forEach((relay) -> relay.stop(Duration.ofSeconds(10)));
    }

    @Test
    @DisplayName("a projection in another service applies every event once, in order, with its metadata, although"
            + " the relay sent everything twice")
    void appliesEachEventOnceFromTheTopic() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("projection");
        MemoryStore store = new MemoryStore();
        for (int i = 1; i <= 3; i++) {
            store.save("order-" + i, records("order-" + i, 1, 4));
        }
        // Two relays with checkpoints of their own: everything is sent twice, as after a crash.
        for (int i = 0; i < 2; i++) {
            KafkaRelay relay = KafkaRelay.builder(store, broker.producers(), KafkaTopic.of(topic))
                .subscription((subscription) -> subscription.checkpoints(new MemoryCheckpointStore()))
                .build();
            relays.add(relay);
            relay.start();
        }
        OrderNotes notes = new OrderNotes();
        KafkaProjection projection = KafkaProjection.builder(notes, JacksonSerializer.json()).build();
        int dropped = 0;
        try (KafkaConsumer<String, byte[]> consumer = broker.consumer(topic)) {
            List<ConsumerRecord<String, byte[]>> received = TestBroker.pollUntil(consumer, new ArrayList<>(),
                    (all) -> all.size() == 24, RelayTestBase.WAIT);
            for (ConsumerRecord<String, byte[]> message : received) {
                if (!projection.handle(message)) {
                    dropped++;
                }
            }
        }
        assertThat(dropped).isEqualTo(12);
        assertThat(notes.applied).hasSize(12);
        for (int i = 1; i <= 3; i++) {
            String aggregate = "order-" + i;
            assertThat(notes.applied.stream().filter((note) -> note.startsWith(aggregate + "@")))
                .containsExactly(aggregate + "@1 by ada", aggregate + "@2 by ada", aggregate + "@3 by ada",
                        aggregate + "@4 by ada");
        }
    }

    @Test
    @DisplayName("a version missing before a message is an EventSequenceGapException naming the aggregate and the"
            + " versions; nothing is applied, and the missing event is applied once it comes")
    void aGapIsAnError() throws Exception {
        OrderNotes notes = new OrderNotes();
        KafkaProjection projection = KafkaProjection.builder(notes, JacksonSerializer.json()).build();
        List<Record> history = records("order-1", 1, 3);
        assertThat(projection.handle(message(history.get(0)))).isTrue();

        assertThatThrownBy(() -> projection.handle(message(history.get(2))))
            .isInstanceOf(EventSequenceGapException.class)
            .hasMessageContaining("'order-1'").hasMessageContaining("version 3 but version 2 is next");
        assertThat(notes.applied).containsExactly("order-1@1 by ada");

        assertThat(projection.handle(message(history.get(1)))).isTrue();
        assertThat(projection.handle(message(history.get(2)))).isTrue();
        assertThat(notes.applied).containsExactly("order-1@1 by ada", "order-1@2 by ada", "order-1@3 by ada");
    }

    @Test
    @DisplayName("a message without CloudEvents headers is an InvalidEventMessageException naming topic, partition,"
            + " offset and the missing header; the event after it is not passed over")
    void anUnparseableMessageIsAnError() throws Exception {
        OrderNotes notes = new OrderNotes();
        KafkaProjection projection = KafkaProjection.builder(notes, JacksonSerializer.json()).build();
        ConsumerRecord<String, byte[]> plain = new ConsumerRecord<>("orders", 2, 41, "order-1",
                "{}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> projection.handle(plain)).isInstanceOf(InvalidEventMessageException.class)
            .hasMessageContaining("orders-2@41").hasMessageContaining("header ce_specversion is missing");
        assertThat(notes.applied).isEmpty();
    }

    @Test
    @DisplayName("an event type the consumer does not know, or a payload that does not parse, throws and applies"
            + " nothing; the aggregate's version does not move, so the event is applied when it is delivered again"
            + " after the fix")
    void anUnknownTypeOrABadPayloadIsAnError() throws Exception {
        OrderNotes notes = new OrderNotes();
        KafkaProjection projection = KafkaProjection.builder(notes, JacksonSerializer.json()).build();
        Record shipped = new Record("Order", "order-1", 1, "Shipped", 1, Instant.now(),
                "{}".getBytes(StandardCharsets.UTF_8), Map.of(), null, 7);
        assertThatThrownBy(() -> projection.handle(message(shipped))).isInstanceOf(UnknownEventTypeException.class)
            .hasMessageContaining("Shipped");

        Record garbled = records("order-2", 1, 1).get(0);
        Record broken = new Record("Order", "order-2", 1, "Noted", 1, garbled.at(),
                "{not json".getBytes(StandardCharsets.UTF_8), Map.of(), null, 8);
        assertThatThrownBy(() -> projection.handle(message(broken))).isInstanceOf(SerializationException.class);
        assertThat(notes.applied).isEmpty();

        assertThat(projection.handle(message(garbled))).isTrue();
        assertThat(notes.applied).containsExactly("order-2@1 by ada");
    }

    @Test
    @DisplayName("a message round-trips through EventMessages: metadata keys with spaces and non-ASCII characters,"
            + " the command id, the aggregate type and the revision come back as stored")
    void messagesRoundTrip() {
        Record stored = new Record("Order", "order-ü", 3, "Noted", 2, Instant.parse("2026-12-04T10:00:00.123456Z"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Map.of("trace id", "x", "ünïcode%key", "é"), "cmd-1",
                42);
        ConsumerRecord<String, byte[]> message = message(stored);
        assertThat(message.headers().lastHeader("es_metadata_trace%20id")).isNotNull();
        assertThat(EventMessages.parse(message)).isEqualTo(stored);
    }

    private List<Record> records(String aggregate, long from, int count) {
        List<Record> records = new ArrayList<>();
        for (long version = from; version < from + count; version++) {
            records.add(publisher.marshal(new Noted(aggregate, version, Instant.now(), "note " + version))
                .withAggregateType("Order").withMetadata(Map.of("user", "ada")).withPosition(version));
        }
        return records;
    }

    /** The message the relay sends for a record, as a consumer receives it. */
    private ConsumerRecord<String, byte[]> message(Record record) {
        ProducerRecord<String, byte[]> sent = messages.toMessage("orders", record);
        return new ConsumerRecord<>("orders", 0, offset++, 0L, TimestampType.CREATE_TIME, 0, 0, sent.key(),
                sent.value(), new RecordHeaders(sent.headers().toArray()), Optional.empty());
    }
}
