package dev.eventsource.serializer.jackson;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event time read from the payload: the canonical form on the fast path, everything else as Jackson reads it. */
class JacksonSerializerInstantTest {

    record Ticked(String aggregateId, long version, Instant at, Instant due) implements Event {
    }

    static Stream<JacksonSerializer> serializers() {
        return Stream.of(JacksonSerializer.json(), JacksonSerializer.cbor());
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void manyRandomInstantsRoundTripWithTheirNanos(JacksonSerializer serializer) {
        serializer.bind(Ticked.class);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            int scale = (int) Math.pow(10, random.nextInt(10));
            Instant at = Instant.ofEpochSecond(random.nextLong(CanonicalInstantsTest.FIRST, CanonicalInstantsTest.LAST + 1),
                    random.nextInt(1_000_000_000) / scale * scale);
            Ticked event = new Ticked("t-1", 1, at, at.truncatedTo(ChronoUnit.DAYS));

            assertThat(serializer.unmarshal(serializer.marshal(event))).isEqualTo(event);
        }
    }

    @ParameterizedTest
    @MethodSource("serializers")
    void yearBoundariesLeapDaysAndTheEpochRoundTrip(JacksonSerializer serializer) {
        serializer.bind(Ticked.class);
        for (String text : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2024-02-29T23:59:59.5Z",
                "2000-02-29T00:00:00Z", "2023-12-31T23:59:59.999Z", "2024-01-01T00:00:00.000001Z"}) {
            Ticked event = new Ticked("t-1", 1, Instant.parse(text), Instant.EPOCH);

            assertThat(serializer.unmarshal(serializer.marshal(event))).as(text).isEqualTo(event);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2024-05-06T08:08:09+01:00\"", "\"2024-05-06T07:08:09+00:00\"", "\"2024-05-06T07:08:09.5Z\"",
            "\"2024-05-06T07:08:09.123456Z\"", "1714979289.123456789", "1714979289123", "\"1714979289123\"",
            "\"+12024-05-06T07:08:09Z\"", "\"-0001-05-06T07:08:09Z\"", "null",
            "\"2024-05-06T07:08:09.Z\"", "\"\"", "\" 2024-05-06T07:08:09Z \""})
    void otherFormsAreReadAsAPlainJacksonMapperReadsThem(String at) {
        String json = payload(at);

        Event ours = JacksonSerializer.json().bind(Ticked.class).unmarshal(record(json));

        assertThat(ours).isEqualTo(plainJackson(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2024-02-30T07:08:09Z\"", "\"2024-05-06T25:08:09Z\"", "\"2024-05-06T07:08:09\"",
            "\"2024-05-06T07:08:09.1234567890Z\"", "\"yesterday\"", "true",
            "\"2024-05-06 07:08:09Z\""})
    void malformedTimesGiveTheSerializationExceptionOfAPlainJacksonMapper(String at) {
        String json = payload(at);
        String jacksonMessage = plainJacksonFailure(json);

        assertThatThrownBy(() -> JacksonSerializer.json().bind(Ticked.class).unmarshal(record(json)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot deserialize event Ticked version 1 of aggregate 't-1' into "
                        + Ticked.class.getName() + ": " + jacksonMessage);
    }

    @Test
    void malformedTimesInCborAreASerializationExceptionNamingTheEvent() {
        JacksonSerializer cbor = JacksonSerializer.cbor().bind(Ticked.class);
        Record good = cbor.marshal(new Ticked("t-1", 1, Instant.EPOCH, Instant.parse("2024-05-06T07:08:09Z")));
        byte[] data = good.data();
        String bytes = new String(data, StandardCharsets.ISO_8859_1).replace("2024-05-06T07:08:09Z",
                "2024-02-30T07:08:09Z");
        Record bad = Record.of("t-1", 1, good.type(), good.at(), bytes.getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> cbor.unmarshal(bad))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Ticked version 1 of aggregate 't-1'")
                .hasMessageContaining("2024-02-30T07:08:09Z");
    }

    @Test
    void theCallersOwnInstantDeserializerWins() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new SimpleModule().addDeserializer(Instant.class, new ValueDeserializer<Instant>() {
                    @Override
                    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
                        return Instant.parse(p.getString()).plusSeconds(3_600);
                    }
                }))
                .build();

        Event read = JacksonSerializer.json(mapper).bind(Ticked.class)
                .unmarshal(record(payload("\"2024-05-06T07:08:09Z\"")));

        assertThat(((Ticked) read).at()).isEqualTo(Instant.parse("2024-05-06T08:08:09Z"));
        assertThat(((Ticked) read).due()).isEqualTo(Instant.parse("1970-01-01T01:00:00Z"));
    }

    @Test
    void theCallersDateTimeFeaturesApplyToTheCanonicalFormToo() {
        JsonMapper truncating = JsonMapper.builder().enable(DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ).build();

        Event read = JacksonSerializer.json(truncating).bind(Ticked.class)
                .unmarshal(record(payload("\"2024-05-06T07:08:09.123456789Z\"")));

        assertThat(((Ticked) read).at()).isEqualTo(Instant.parse("2024-05-06T07:08:09.123Z"));
    }

    @Test
    void theCallersFormatOverrideForInstantApplies() {
        JsonMapper pattern = JsonMapper.builder()
                .withConfigOverride(Instant.class, override -> override.setFormat(
                        com.fasterxml.jackson.annotation.JsonFormat.Value.forPattern("yyyy-MM-dd'T'HH:mm:ssX")
                                .withTimeZone(java.util.TimeZone.getTimeZone("UTC"))))
                .build();
        JacksonSerializer serializer = JacksonSerializer.json(pattern).bind(Ticked.class);

        // The pattern has no fraction: Jackson refuses one, although the fast path alone would read it.
        assertThatThrownBy(() -> serializer.unmarshal(record(payload("\"2024-05-06T07:08:09.5Z\""))))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("2024-05-06T07:08:09.5Z");
        assertThat(((Ticked) serializer.unmarshal(record(payload("\"2024-05-06T07:08:09Z\"")))).at())
                .isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
    }

    @Test
    void theStoredBytesAreExactlyWhatTheCallersMapperWrites() {
        JsonMapper mapper = JsonMapper.builder().build();
        Ticked event = new Ticked("t-1", 1, Instant.parse("2024-05-06T07:08:09.120Z"), Instant.EPOCH);

        Record record = JacksonSerializer.json(mapper).bind(Ticked.class).marshal(event);

        // The caller's mapper's output, but for the envelope that the record's columns hold.
        assertThat(new String(record.data(), StandardCharsets.UTF_8)).isEqualTo(
                new String(mapper.writeValueAsBytes(event), StandardCharsets.UTF_8)
                        .replace("\"aggregateId\":\"t-1\",\"version\":1,\"at\":\"2024-05-06T07:08:09.120Z\",", ""))
                .isEqualTo("{\"due\":\"1970-01-01T00:00:00Z\"}");
    }

    @Test
    void theCallersMapperIsNotChanged() {
        JsonMapper mapper = JsonMapper.builder().build();

        JacksonSerializer.json(mapper);

        assertThat(mapper.registeredModules()).noneMatch(module -> module.getRegistrationId().toString()
                .contains("eventsource"));
    }

    private static String payload(String at) {
        return "{\"aggregateId\":\"t-1\",\"version\":1,\"at\":" + at + ",\"due\":\"1970-01-01T00:00:00Z\"}";
    }

    private static Record record(String json) {
        return Record.of("t-1", 1, "Ticked", Instant.EPOCH, json.getBytes(StandardCharsets.UTF_8));
    }

    private static Object plainJackson(String json) {
        return JsonMapper.builder().build().readerFor(Ticked.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(json);
    }

    private static String plainJacksonFailure(String json) {
        try {
            plainJackson(json);
        } catch (JacksonException e) {
            return e.getOriginalMessage();
        }
        throw new AssertionError("plain Jackson read " + json);
    }
}
