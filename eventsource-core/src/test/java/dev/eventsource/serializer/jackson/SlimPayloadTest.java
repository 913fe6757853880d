package dev.eventsource.serializer.jackson;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Payloads hold only the event's own fields: the aggregate id, version and time are the record's columns and are
 * filled in on read; payloads written with them (before) still read, and must still agree with the record.
 */
class SlimPayloadTest {

    static final Instant AT = Instant.parse("2024-05-06T07:08:09.5Z");

    record Renamed(String aggregateId, long version, Instant at, String name) implements Event {
    }

    /** An event that is no record: fields and a creator. */
    static final class Moved implements Event {
        private final String aggregateId;
        private final long version;
        private final Instant at;
        private final String to;

        @JsonCreator
        Moved(@JsonProperty("aggregateId") String aggregateId, @JsonProperty("version") long version,
              @JsonProperty("at") Instant at, @JsonProperty("to") String to) {
            this.aggregateId = aggregateId;
            this.version = version;
            this.at = at;
            this.to = to;
        }

        @Override
        public String aggregateId() {
            return aggregateId;
        }

        @Override
        public long version() {
            return version;
        }

        @Override
        public Instant at() {
            return at;
        }

        @JsonProperty("to")
        String to() {
            return to;
        }
    }

    static Stream<JacksonSerializer> serializers() {
        return Stream.of(JacksonSerializer.json(), JacksonSerializer.cbor());
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void payloadsHoldOnlyTheEventsOwnFieldsAndReadBackWhole(JacksonSerializer serializer) {
        serializer.bind(Renamed.class, Moved.class);
        Renamed renamed = new Renamed("p-1", 3, AT, "Ann");
        Record record = serializer.marshal(renamed);
        String text = new String(record.data(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("Ann").doesNotContain("aggregateId").doesNotContain("p-1").doesNotContain("2024");
        assertThat(serializer.unmarshal(record)).isEqualTo(renamed);

        Record moved = serializer.marshal(new Moved("p-1", 4, AT, "Delft"));
        assertThat(new String(moved.data(), StandardCharsets.ISO_8859_1)).contains("Delft").doesNotContain("p-1");
        Moved read = (Moved) serializer.unmarshal(moved);
        assertThat(read.aggregateId()).isEqualTo("p-1");
        assertThat(read.version()).isEqualTo(4);
        assertThat(read.at()).isEqualTo(AT);
        assertThat(read.to()).isEqualTo("Delft");
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void aTimeFinerThanTheColumnsMicrosecondsKeepsOnlyItsLastNanosecondsInThePayloadAndReadsBackExactly(
            JacksonSerializer serializer) {
        serializer.bind(Renamed.class, Moved.class);
        Instant nanos = Instant.parse("2024-05-06T07:08:09.123456789Z");
        Record written = serializer.marshal(new Renamed("p-1", 3, nanos, "Ann"));
        String text = new String(written.data(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("+789ns").doesNotContain("2024");
        // What a JDBC store gives back: the column keeps microseconds.
        Record stored = Record.of("p-1", 3, "Renamed", Instant.parse("2024-05-06T07:08:09.123456Z"), written.data());
        assertThat(serializer.unmarshal(stored)).isEqualTo(new Renamed("p-1", 3, nanos, "Ann"));
        // What the memory store gives back: the record keeps the event's own time.
        assertThat(serializer.unmarshal(written)).isEqualTo(new Renamed("p-1", 3, nanos, "Ann"));

        for (Instant at : new Instant[] {Instant.parse("1969-12-31T23:59:59.999999001Z"),
                Instant.parse("2024-05-06T07:08:09.000000007Z"), Instant.parse("2262-01-01T00:00:00.000000100Z")}) {
            Record renamed = serializer.marshal(new Renamed("p-1", 4, at, "Bo"));
            Record column = Record.of("p-1", 4, "Renamed", at.minusNanos(at.getNano() % 1000), renamed.data());
            assertThat(serializer.unmarshal(column)).isEqualTo(new Renamed("p-1", 4, at, "Bo"));
            assertThat(serializer.unmarshal(renamed)).isEqualTo(new Renamed("p-1", 4, at, "Bo"));
        }
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void aPayloadWithTheWholeFinerTimeStillReads(JacksonSerializer ignored) {
        String old = "{\"at\":\"2024-05-06T07:08:09.123456789Z\",\"name\":\"Ann\"}";
        assertThat(JacksonSerializer.json().bind(Renamed.class).unmarshal(Record.of("p-1", 3, "Renamed",
                Instant.parse("2024-05-06T07:08:09.123456Z"), old.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(new Renamed("p-1", 3, Instant.parse("2024-05-06T07:08:09.123456789Z"), "Ann"));
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void anotherInstantFieldThatLooksLikeARemainderIsNotTakenForOne(JacksonSerializer ignored) {
        String payload = "{\"name\":\"Ann\",\"due\":\"+789ns\"}";
        assertThatThrownBy(() -> JacksonSerializer.json().bind(Due.class).unmarshal(Record.of("p-1", 3, "Due", AT,
                payload.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("from String \"+789ns\"");
    }

    record Due(String aggregateId, long version, Instant at, String name, Instant due) implements Event {
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void aPayloadWrittenWithItsEnvelopeStillReads(JacksonSerializer serializer) {
        serializer.bind(Renamed.class);
        String old = "{\"aggregateId\":\"p-1\",\"version\":3,\"at\":\"2024-05-06T07:08:09.5Z\",\"name\":\"Ann\"}";
        assertThat(JacksonSerializer.json().bind(Renamed.class).unmarshal(Record.of("p-1", 3, "Renamed", AT,
                old.getBytes(StandardCharsets.UTF_8)))).isEqualTo(new Renamed("p-1", 3, AT, "Ann"));
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void anOldEnvelopeThatDisagreesWithTheRecordIsStillCorruption(JacksonSerializer ignored) {
        String copied = "{\"aggregateId\":\"p-2\",\"version\":3,\"at\":\"2024-05-06T07:08:09.5Z\",\"name\":\"Ann\"}";
        assertThatThrownBy(() -> JacksonSerializer.json().bind(Renamed.class).unmarshal(Record.of("p-1", 3,
                "Renamed", AT, copied.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("its payload says aggregate 'p-2' version 3");
    }
}
