package dev.eventsource.serializer.jackson;

import dev.eventsource.Event;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import dev.eventsource.annotation.EventType;
import dev.eventsource.upcast.Upcaster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A history read at once ({@link JacksonSerializer#unmarshalAll}, one parser for all payloads) gives exactly what
 * reading its records one by one gives: the same events, each with its own record's envelope, and the same error
 * for the same record when one cannot be read; a corrupt payload never runs into the next one.
 */
class UnmarshalAllTest {

    private static final Instant AT = Instant.parse("2024-05-06T07:08:09.123456Z");

    record Opened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    @EventType(revision = 2)
    record Deposited(String aggregateId, long version, Instant at, long cents, String note) implements Event {
    }

    static Stream<JacksonSerializer> serializers() {
        return Stream.of(JacksonSerializer.json(), JacksonSerializer.cbor());
    }

    private static JacksonSerializer bound(JacksonSerializer serializer) {
        return serializer.bind(Opened.class, Deposited.class)
                .addUpcasters(Upcaster.from("Deposited", 1).addField("note", "-"));
    }

    private static List<Record> history(JacksonSerializer serializer, int count) {
        List<Record> records = new ArrayList<>();
        records.add(serializer.marshal(new Opened("a-1", 1, AT, "Ann")));
        for (int version = 2; version <= count; version++) {
            records.add(serializer.marshal(new Deposited("a-1", version, AT.plusNanos(version), version, "n" + version)));
        }
        return records;
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void aHistoryReadsAtOnceAsItReadsRecordByRecord(JacksonSerializer serializer) {
        bound(serializer);
        List<Record> records = history(serializer, 50);

        List<Event> together = serializer.unmarshalAll(records);

        assertThat(together).hasSize(50).isEqualTo(records.stream().map(serializer::unmarshal).toList());
        assertThat(together).extracting(Event::version).containsExactlyElementsOf(
                records.stream().map(Record::version).toList());
        assertThat(((Deposited) together.get(49)).at()).isEqualTo(AT.plusNanos(50));
        List<Event> read = new ArrayList<>();
        assertThat(serializer.readTogether(records, read)).as("read through one parser").isEqualTo(50);
        assertThat(read).isEqualTo(together);
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void recordsToUpcastInTheMiddleAreReadOnTheirWay(JacksonSerializer serializer) {
        bound(serializer);
        List<Record> records = new ArrayList<>(history(serializer, 10));
        Record old = serializer.marshal(new Opened("a-1", 5, AT, "x"));
        byte[] oldPayload = serializer.format() == PayloadFormat.JSON
                ? "{\"cents\":7}".getBytes(StandardCharsets.UTF_8)
                : JacksonSerializer.cbor().bind(Old.class).marshal(new Old("a-1", 5, AT, 7)).data();
        records.set(4, Record.of("a-1", 5, "Deposited", 1, old.at(), oldPayload));

        List<Event> together = serializer.unmarshalAll(records);

        assertThat(together.get(4)).isEqualTo(new Deposited("a-1", 5, AT, 7, "-"));
        assertThat(together).isEqualTo(records.stream().map(serializer::unmarshal).toList());
    }

    @EventType("Deposited")
    record Old(String aggregateId, long version, Instant at, long cents) implements Event {
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void aTruncatedPayloadFailsAsItDoesAloneAndDoesNotSwallowTheNextOne(JacksonSerializer serializer) {
        bound(serializer);
        List<Record> records = new ArrayList<>(history(serializer, 6));
        Record third = records.get(2);
        byte[] cut = Arrays.copyOf(third.data(), third.data().length - 1);
        records.set(2, Record.of("a-1", 3, "Deposited", 2, third.at(), cut));

        Throwable alone = catchFailure(() -> serializer.unmarshal(records.get(2)));
        assertThat(alone).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serializer.unmarshalAll(records))
                .isInstanceOf(SerializationException.class)
                .hasMessage(alone.getMessage());
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void anEmptyPayloadFailsAsItDoesAlone(JacksonSerializer serializer) {
        bound(serializer);
        List<Record> records = new ArrayList<>(history(serializer, 4));
        records.set(1, Record.of("a-1", 2, "Deposited", 2, AT, new byte[0]));

        Throwable alone = catchFailure(() -> serializer.unmarshal(records.get(1)));
        assertThatThrownBy(() -> serializer.unmarshalAll(records))
                .isInstanceOf(SerializationException.class)
                .hasMessage(alone.getMessage());
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void aPayloadCopiedFromAnotherAggregateIsStillCaught(JacksonSerializer serializer) {
        bound(serializer);
        List<Record> records = new ArrayList<>(history(serializer, 4));
        if (serializer.format() == PayloadFormat.JSON) {
            records.set(2, Record.of("a-1", 3, "Deposited", 2, AT,
                    "{\"aggregateId\":\"b-9\",\"version\":3,\"cents\":1,\"note\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> serializer.unmarshalAll(records))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("its payload says aggregate 'b-9' version 3");
        }
        // Each event keeps its own record's envelope.
        List<Record> clean = history(serializer, 4);
        assertThat(serializer.unmarshalAll(clean)).extracting(Event::aggregateId).containsOnly("a-1");
    }

    private static Throwable catchFailure(Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the read to fail");
    }
}
