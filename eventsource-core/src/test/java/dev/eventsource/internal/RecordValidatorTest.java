package dev.eventsource.internal;

import dev.eventsource.Event;
import dev.eventsource.EventLimits;
import dev.eventsource.InvalidEventException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import dev.eventsource.UnstorableEventException;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The rules of {@link EventLimits} as {@link RecordValidator} checks them, on payloads written by the library's own
 * Jackson serializers (what Jackson 3 actually writes for a NUL and a lone surrogate) and on hand-made bytes.
 */
class RecordValidatorTest {

    static final Instant AT = Instant.parse("2025-01-02T03:04:05Z");

    record Address(List<String> lines, Map<String, String> labels) {
    }

    record Moved(String aggregateId, long version, Instant at, String name, Address address) implements Event {
    }

    static Moved moved(String name, List<String> lines, Map<String, String> labels) {
        return new Moved("p-1", 1, AT, name, new Address(lines, labels));
    }

    static final JacksonSerializer JSON = JacksonSerializer.json().bind(Moved.class);

    /** Serializes with the library's JSON serializer, then checks as the repository does. */
    static void checkJson(Moved event) {
        checkRecord(JSON.marshal(event), PayloadFormat.JSON);
    }

    static void checkRecord(Record record, PayloadFormat format) {
        RecordValidator.check(record.aggregateId(), List.of(record), format);
    }

    static Record json(String payload) {
        return Record.of("p-1", 1, "Moved", AT, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    @DisplayName("what Jackson 3 writes")
    class WhatJacksonWrites {

        @Test
        @DisplayName("JSON: a NUL as the escape \\u0000, a lone surrogate as an escape such as \\uD800, a pair raw")
        void json() {
            String written = new String(JSON.marshal(moved("a\u0000b\uD800c\uD83D\uDE80", List.of(), Map.of()))
                    .data(), StandardCharsets.UTF_8);

            assertThat(written).contains("\"name\":\"a\\u0000b\\uD800c\uD83D\uDE80\"");
        }

        @Test
        @DisplayName("CBOR: a NUL as a raw 0 byte; a lone surrogate is refused by the writer, naming the field")
        void cbor() {
            JacksonSerializer cbor = JacksonSerializer.cbor().bind(Moved.class);

            byte[] nul = cbor.marshal(moved("a\u0000b", List.of(), Map.of())).data();
            assertThat(new String(nul, StandardCharsets.ISO_8859_1)).contains("a\u0000b");
            assertThatThrownBy(() -> cbor.marshal(moved("ok", List.of("x", "y", "lone\uD800"), Map.of())))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Moved").hasMessageContaining("'p-1'")
                    .hasMessageContaining("at $.address.lines[2]").hasMessageContaining("surrogate")
                    .hasMessageContaining("nothing was stored")
                    .isInstanceOfSatisfying(SerializationException.class, failure -> {
                        assertThat(failure.direction()).isEqualTo(SerializationException.Direction.SERIALIZE);
                        assertThat(failure.eventType()).isEqualTo("Moved");
                        assertThat(failure.eventClass()).isEqualTo(Moved.class);
                        assertThat(failure.aggregateId()).isEqualTo("p-1");
                        assertThat(failure.fieldPath()).isEqualTo("$.address.lines[2]");
                    });
        }
    }

    @Nested
    @DisplayName("strings in a JSON payload")
    class JsonPayloads {

        @Test
        @DisplayName("a NUL in a string is refused, naming aggregate, event type, version and the field's path")
        void nulInValue() {
            assertThatThrownBy(() -> checkJson(moved("Ada", List.of("1 Main St", "Flat 2", "Lon\u0000don"), Map.of())))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("'Moved' version 1 of aggregate 'p-1'")
                    .hasMessageContaining("the string at $.address.lines[2]")
                    .hasMessageContaining("NUL character (U+0000) at index 3")
                    .hasMessageContaining("Nothing was stored")
                    .message().doesNotContain("\u0000");
            UnstorableEventException refused = catchThrowableOfType(UnstorableEventException.class,
                    () -> checkJson(moved("Ada", List.of("1 Main St", "Flat 2", "Lon\u0000don"), Map.of())));
            assertThat(refused.aggregateId()).isEqualTo("p-1");
            assertThat(refused.eventType()).isEqualTo("Moved");
            assertThat(refused.version()).isEqualTo(1);
            assertThat(refused.fieldPath()).isEqualTo("$.address.lines[2]");
        }

        @Test
        @DisplayName("a NUL in a property name is refused, naming the object that holds it")
        void nulInKey() {
            assertThatThrownBy(() -> checkJson(moved("Ada", List.of(), Map.of("ho\u0000me", "x"))))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("the property name 'ho\\u0000me' in $.address.labels")
                    .hasMessageContaining("U+0000");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"x\uD800y", "x\uDBFF", "\uDC00y", "x\uDFFFy", "\uDE80\uD83D", "\uD83D\uD83D\uDE80"})
        @DisplayName("a lone surrogate in a string is refused")
        void loneSurrogateInValue(String name) {
            assertThatThrownBy(() -> checkJson(moved(name, List.of(), Map.of())))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("the string at $.name contains a lone surrogate (U+D")
                    .hasMessageContaining("aggregate 'p-1'");
        }

        @Test
        @DisplayName("a lone surrogate in a property name is refused, naming the object that holds it")
        void loneSurrogateInKey() {
            assertThatThrownBy(() -> checkJson(moved("Ada", List.of(), Map.of("x\uDC00", "y"))))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("a property name in $.address.labels contains a lone surrogate (U+DC00)")
                    .hasFieldOrPropertyWithValue("fieldPath", "$.address.labels")
                    .hasMessageContaining("'Moved' version 1 of aggregate 'p-1'");
        }

        @Test
        @DisplayName("an escaped backslash followed by the text u0000 is not a NUL")
        void escapedBackslashIsNoNul() {
            Moved event = moved("C:\\u0000", List.of("\\\\u0000", "\\uD800", "\\"), Map.of("\\u0000", "\\\\"));
            assertThat(new String(JSON.marshal(event).data(), StandardCharsets.UTF_8)).contains("C:\\\\u0000");

            assertThatCode(() -> checkJson(event)).doesNotThrowAnyException();
            assertThatCode(() -> checkRecord(json("{\"s\":\"\\\\\\\\u0000\"}"), PayloadFormat.JSON))
                    .doesNotThrowAnyException();
        }

        @Test
        @DisplayName("an escaped backslash directly followed by a NUL escape is still a NUL")
        void escapedBackslashThenNul() {
            assertThatThrownBy(() -> checkRecord(json("{\"s\":\"\\\\\\u0000\"}"), PayloadFormat.JSON))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("$.s");
        }

        @Test
        @DisplayName("emoji and other valid surrogate pairs are accepted, raw or escaped")
        void validPairsAccepted() {
            Moved event = moved("🚀 Ada 𝄞 名前 \uDBFF\uDFFF", List.of("😀😀", "é"), Map.of("🏠", "𐍈"));
            JacksonSerializer escaping = JacksonSerializer.json(JsonMapper.builder()
                    .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build()).bind(Moved.class);
            byte[] escaped = escaping.marshal(event).data();
            assertThat(new String(escaped, StandardCharsets.UTF_8)).contains("\\uD83D\\uDE80");

            assertThatCode(() -> checkJson(event)).doesNotThrowAnyException();
            assertThatCode(() -> checkRecord(Record.of("p-1", 1, "Moved", AT, escaped), PayloadFormat.JSON))
                    .doesNotThrowAnyException();
        }

        @Test
        @DisplayName("raw bytes no JSON writer produces, a NUL byte or the UTF-8 bytes of a surrogate, are refused")
        void rawBytes() {
            byte[] nulByte = {'{', '"', 's', '"', ':', '"', 'a', 0, '"', '}'};
            byte[] surrogateBytes = {'{', '"', 's', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};

            assertThatThrownBy(() -> checkRecord(Record.of("p-1", 1, "Moved", AT, nulByte), PayloadFormat.JSON))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("aggregate 'p-1'")
                    .hasMessageContaining("$.s contains a NUL byte");
            assertThatThrownBy(() -> checkRecord(Record.of("p-1", 1, "Moved", AT, surrogateBytes), PayloadFormat.JSON))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("aggregate 'p-1'")
                    .hasMessageContaining("$.s contains");
        }

        @Test
        @DisplayName("names that are not identifiers are quoted in the path; nesting and indexes are followed")
        void pathOfOddNames() {
            assertThatThrownBy(() -> checkRecord(json(
                    "{\"a\":[{\"x\":1},{\"b c\":{\"it's\":[\"ok\",\"bad\\u0000\"]}}]}"), PayloadFormat.JSON))
                    .hasMessageContaining("the string at $.a[1]['b c']['it\\'s'][1] contains a NUL");
        }

        @Test
        @DisplayName("payloads are checked only where the format is known to be JSON")
        void otherFormatsAreNotInspected() {
            Record nul = json("{\"s\":\"\\u0000\"}");

            assertThatCode(() -> checkRecord(nul, PayloadFormat.BINARY)).doesNotThrowAnyException();
            assertThatCode(() -> checkRecord(nul, null)).doesNotThrowAnyException();
        }
    }

    @Nested
    @DisplayName("ids, type names and metadata")
    class Strings {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"p\u00001", "p\uD800", "\uDC00p"})
        @DisplayName("an aggregate id with a NUL or a lone surrogate is refused")
        void aggregateId(String id) {
            assertThatThrownBy(() -> RecordValidator.checkAggregateId(id))
                    .isInstanceOf(UnstorableEventException.class)
                    .hasFieldOrPropertyWithValue("aggregateId", id).hasFieldOrPropertyWithValue("eventType", null)
                    .hasMessageStartingWith("Aggregate id '").hasMessageContaining("at index")
                    .hasMessageContaining("Nothing was stored")
                    .message().doesNotContain("\u0000").doesNotContain("\uD800").doesNotContain("\uDC00");
            Record record = Record.of(id, 1, "Moved", AT, "{}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> checkRecord(record, PayloadFormat.JSON)).isInstanceOf(InvalidEventException.class);
        }

        @Test
        @DisplayName("an id to look up with a NUL or a lone surrogate is an illegal argument; pairs are fine")
        void lookUpIds() {
            assertThatThrownBy(() -> Batches.validateRange("p\u0000", 0, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Aggregate id 'p\\u0000' cannot name a stored aggregate: it contains a NUL character"
                            + " (U+0000) at index 1, which PostgreSQL cannot store");
            assertThatThrownBy(() -> Batches.validateRange("p\uDC00", 0, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate (U+DC00");
            assertThatCode(() -> Batches.validateRange("p-🚀" + "x".repeat(300), 0, 0)).doesNotThrowAnyException();
        }

        @Test
        @DisplayName("ids and type names of 255 characters (a pair counts 2) are kept, 256 are refused")
        void idAndTypeLength() {
            String longest = "🚀" + "x".repeat(253);
            assertThatCode(() -> RecordValidator.checkAggregateId(longest)).doesNotThrowAnyException();
            assertThatCode(() -> checkRecord(Record.of("p-1", 1, longest, AT, new byte[0]), null))
                    .doesNotThrowAnyException();

            assertThatThrownBy(() -> RecordValidator.checkAggregateId(longest + "x"))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("has 256 characters; at most 255");
            assertThatThrownBy(() -> checkRecord(Record.of("p-1", 1, longest + "x", AT, new byte[0]), null))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("its type name has 256 characters").hasMessageContaining("@EventType");
        }

        @Test
        @DisplayName("a type name with a NUL or a lone surrogate is refused")
        void typeName() {
            assertThatThrownBy(() -> checkRecord(Record.of("p-1", 1, "Mo\u0000ved", AT, new byte[0]), null))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("Event 'Mo\\u0000ved' version 1 of aggregate 'p-1'")
                    .hasMessageContaining("its type name contains a NUL character (U+0000) at index 2");
            assertThatThrownBy(() -> checkRecord(Record.of("p-1", 1, "Moved\uD800", AT, new byte[0]), null))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("lone surrogate (U+D800");
        }

        @Test
        @DisplayName("metadata keys and values with a NUL or a lone surrogate are refused")
        void metadataCharacters() {
            for (Map<String, String> metadata : List.of(Map.of("us\u0000er", "ada"), Map.of("user", "a\u0000da"),
                    Map.of("user\uDBFF", "ada"), Map.of("user", "ada\uDC00"))) {
                Record record = json("{}").withMetadata(metadata);
                assertThatThrownBy(() -> checkRecord(record, null)).as("%s", metadata)
                        .isInstanceOf(InvalidEventException.class)
                        .hasMessageContaining("its metadata")
                        .hasMessageContaining("'Moved' version 1 of aggregate 'p-1'");
            }
            assertThatCode(() -> checkRecord(json("{}").withMetadata(Map.of("🙂", "名前 🚀")), null))
                    .doesNotThrowAnyException();
        }

        @Test
        @DisplayName("metadata keys up to 255 and values up to 8,192 characters are kept, longer are refused")
        void metadataLengths() {
            String key = "k".repeat(EventLimits.MAX_METADATA_KEY_LENGTH);
            String value = "v".repeat(EventLimits.MAX_METADATA_VALUE_LENGTH);
            assertThatCode(() -> checkRecord(json("{}").withMetadata(Map.of(key, value)), null))
                    .doesNotThrowAnyException();

            assertThatThrownBy(() -> checkRecord(json("{}").withMetadata(Map.of(key + "k", "v")), null))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("its metadata key").hasMessageContaining("has 256 characters");
            assertThatThrownBy(() -> checkRecord(json("{}").withMetadata(Map.of("user", value + "v")), null))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("its metadata value of key 'user' has 8193 characters; at most 8192");
        }
    }

    @Nested
    @DisplayName("sizes")
    class Sizes {

        static Record payloadOf(long version, int bytes) {
            byte[] data = new byte[bytes];
            java.util.Arrays.fill(data, (byte) 'x');
            return Record.of("p-1", version, "Moved", AT, data);
        }

        @Test
        @DisplayName("a payload of exactly 1 MiB is kept; one byte more is refused, in any format")
        void payloadSize() {
            assertThatCode(() -> checkRecord(payloadOf(1, EventLimits.MAX_PAYLOAD_BYTES), PayloadFormat.BINARY))
                    .doesNotThrowAnyException();

            for (PayloadFormat format : new PayloadFormat[] {PayloadFormat.JSON, PayloadFormat.BINARY, null}) {
                assertThatThrownBy(() -> checkRecord(payloadOf(1, EventLimits.MAX_PAYLOAD_BYTES + 1), format))
                        .isInstanceOf(InvalidEventException.class)
                        .hasMessageContaining("'Moved' version 1 of aggregate 'p-1'")
                        .hasMessageContaining("its payload has 1048577 bytes; every store keeps at most 1048576");
            }
        }

        @Test
        @DisplayName("one append of exactly 4 MiB of payloads and metadata is kept; one byte more is refused")
        void batchSize() {
            List<Record> batch = new ArrayList<>();
            for (long version = 1; version <= 4; version++) {
                batch.add(payloadOf(version, EventLimits.MAX_PAYLOAD_BYTES));
            }
            // 4 full payloads are exactly the limit; metadata counts in UTF-8 bytes: "é" is 2.
            assertThatCode(() -> RecordValidator.check("p-1", batch, null)).doesNotThrowAnyException();

            List<Record> over = new ArrayList<>(batch);
            over.set(0, payloadOf(1, EventLimits.MAX_PAYLOAD_BYTES - 2).withMetadata(Map.of("é", "")));
            assertThatCode(() -> RecordValidator.check("p-1", over, null)).doesNotThrowAnyException();
            over.set(0, payloadOf(1, EventLimits.MAX_PAYLOAD_BYTES - 2).withMetadata(Map.of("é", "x")));
            assertThatThrownBy(() -> RecordValidator.check("p-1", over, null))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("The 4 events (versions 1 to 4) of aggregate 'p-1' carry 4194305 bytes")
                    .hasMessageContaining("at most 4194304").hasMessageContaining("Nothing was stored");
        }
    }
}
