package dev.eventsource.serializer.jackson;

import dev.eventsource.DuplicateEventTypeException;
import dev.eventsource.Event;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import dev.eventsource.Serializer;
import dev.eventsource.UnknownEventTypeException;
import dev.eventsource.annotation.EventType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.dataformat.cbor.CBORMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JacksonSerializerTest {

    static final Instant AT = Instant.parse("2024-05-06T07:08:09.123456789Z");

    enum Priority { LOW, HIGH }

    record Address(String street, String city) {
    }

    record OrderPlaced(String aggregateId, long version, Instant at, BigDecimal total, Priority priority,
                       List<String> items, Map<String, Integer> quantities, Address shipTo, Optional<String> note,
                       Instant promised) implements Event {
    }

    @EventType("order.shipped.v1")
    record OrderShipped(String aggregateId, long version, Instant at, String carrier) implements Event {
    }

    record Counted(String aggregateId, long version, Instant at, long count) implements Event {
    }

    record Due(String aggregateId, long version, Instant at, Instant due) implements Event {
    }

    /** A component of declared type Object: the place where a class name in the data could try to pick a class. */
    record Loose(String aggregateId, long version, Instant at, Object detail) implements Event {
    }

    static final class Billing {
        record Charged(String aggregateId, long version, Instant at) implements Event {
        }
    }

    static final class Shipping {
        record Charged(String aggregateId, long version, Instant at) implements Event {
        }
    }

    @EventType(" ")
    record BlankName(String aggregateId, long version, Instant at) implements Event {
    }

    sealed interface Shape extends Event permits Circle {
    }

    record Circle(String aggregateId, long version, Instant at) implements Shape {
    }

    abstract static class AbstractEvent implements Event {
    }

    static Stream<JacksonSerializer> serializers() {
        return Stream.of(JacksonSerializer.json(), JacksonSerializer.cbor());
    }

    static JacksonSerializer bound(JacksonSerializer serializer) {
        return serializer.bind(OrderPlaced.class, OrderShipped.class, Counted.class, Loose.class);
    }

    static OrderPlaced placed(Optional<String> note) {
        return new OrderPlaced("order-1", 1, AT, new BigDecimal("10.50"), Priority.HIGH, List.of("pen", "ink"),
                Map.of("pen", 2, "ink", 1), new Address("1 Main St", "Springfield"), note,
                Instant.parse("2024-05-07T00:00:00.000000001Z"));
    }

    static Record record(String type, String json) {
        return Record.of("order-1", 1, type, AT, json.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class RoundTrips {

        @ParameterizedTest
        @MethodSource("dev.eventsource.serializer.jackson.JacksonSerializerTest#serializers")
        void keepsEveryValueIncludingNanosScaleEnumsCollectionsNestedRecordsAndPresentOptional(JacksonSerializer serializer) {
            OrderPlaced event = placed(Optional.of("leave at the door"));

            Event back = bound(serializer).unmarshal(serializer.marshal(event));

            assertThat(back).isEqualTo(event);
            OrderPlaced order = (OrderPlaced) back;
            assertThat(order.at().getNano()).isEqualTo(123_456_789);
            assertThat(order.promised().getNano()).isEqualTo(1);
            assertThat(order.total().scale()).isEqualTo(2);
            assertThat(order.total().toPlainString()).isEqualTo("10.50");
            assertThat(order.priority()).isSameAs(Priority.HIGH);
            assertThat(order.note()).contains("leave at the door");
        }

        @ParameterizedTest
        @MethodSource("dev.eventsource.serializer.jackson.JacksonSerializerTest#serializers")
        void keepsAnEmptyOptionalEmpty(JacksonSerializer serializer) {
            OrderPlaced event = placed(Optional.empty());

            OrderPlaced back = (OrderPlaced) bound(serializer).unmarshal(serializer.marshal(event));

            assertThat(back.note()).isNotNull().isEmpty();
            assertThat(back).isEqualTo(event);
        }

        @ParameterizedTest
        @MethodSource("dev.eventsource.serializer.jackson.JacksonSerializerTest#serializers")
        void recordCarriesTheColumnsOfTheEvent(JacksonSerializer serializer) {
            Record record = bound(serializer).marshal(new OrderShipped("order-7", 3, AT, "UPS"));

            assertThat(record.aggregateId()).isEqualTo("order-7");
            assertThat(record.version()).isEqualTo(3);
            assertThat(record.at()).isEqualTo(AT);
            assertThat(record.metadata()).isEmpty();
            assertThat(record.position()).isZero();
        }

        @Test
        void jsonWritesReadableJsonAndCborWritesBinary() {
            Record json = bound(JacksonSerializer.json()).marshal(new OrderShipped("order-1", 1, AT, "UPS"));
            Record cbor = bound(JacksonSerializer.cbor()).marshal(new OrderShipped("order-1", 1, AT, "UPS"));

            assertThat(new String(json.data(), StandardCharsets.UTF_8))
                    .as("the event's own fields, and its time only because it has nanoseconds")
                    .isEqualTo("{\"at\":\"+789ns\",\"carrier\":\"UPS\"}");
            assertThat(JacksonSerializer.json().format()).isEqualTo(PayloadFormat.JSON);
            assertThat(JacksonSerializer.cbor().format()).isEqualTo(PayloadFormat.BINARY);
            // CBOR: a map header (major type 5), not a JSON brace
            assertThat(cbor.data()[0] & 0xE0).isEqualTo(0xA0);
            assertThat(cbor.data()).isNotEqualTo(json.data());
        }
    }

    @Nested
    class TypeNames {

        @Test
        void eventTypeAnnotationNamesTheStoredType() {
            JacksonSerializer serializer = bound(JacksonSerializer.json());

            Record record = serializer.marshal(new OrderShipped("order-1", 1, AT, "UPS"));

            assertThat(record.type()).isEqualTo("order.shipped.v1");
            assertThat(new OrderShipped("order-1", 1, AT, "UPS").type()).isEqualTo("order.shipped.v1");
            assertThat(serializer.boundType("order.shipped.v1")).isEqualTo(OrderShipped.class);
            assertThat(serializer.boundType("OrderShipped")).isNull();
        }

        @Test
        void withoutAnnotationTheSimpleClassNameIsStored() {
            Record record = bound(JacksonSerializer.json()).marshal(new Counted("c-1", 1, AT, 5));

            assertThat(record.type()).isEqualTo("Counted");
        }

        @Test
        void theSimpleNameOfAnAnnotatedClassIsNotAnAlias() {
            JacksonSerializer serializer = bound(JacksonSerializer.json());
            Record bySimpleName = record("OrderShipped",
                    "{\"aggregateId\":\"order-1\",\"version\":1,\"at\":\"2024-05-06T07:08:09Z\",\"carrier\":\"UPS\"}");

            assertThatThrownBy(() -> serializer.unmarshal(bySimpleName))
                    .isInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining("'OrderShipped'");
        }
    }

    @Nested
    class CallerMapper {

        @Test
        void namingStrategyOfTheCallersMapperShowsInTheBytesAndRoundTrips() {
            JsonMapper snake = JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .build();
            JacksonSerializer serializer = bound(JacksonSerializer.json(snake));
            OrderPlaced event = placed(Optional.of("n"));

            Record record = serializer.marshal(event);

            assertThat(new String(record.data(), StandardCharsets.UTF_8))
                    .contains("\"aggregate_id\":\"order-1\"")
                    .contains("\"ship_to\":{")
                    .doesNotContain("aggregateId");
            assertThat(serializer.unmarshal(record)).isEqualTo(event);
        }

        @Test
        void featuresOfTheCallersMapperApply() {
            JsonMapper numericDates = JsonMapper.builder()
                    .enable(tools.jackson.databind.cfg.DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .build();
            JacksonSerializer serializer = JacksonSerializer.json(numericDates).bind(Due.class);

            Record record = serializer.marshal(new Due("c-1", 1, AT, AT));

            assertThat(new String(record.data(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"at\":\"+789ns\",\"due\":1714979289.123456789}");
            assertThat(serializer.unmarshal(record)).isEqualTo(new Due("c-1", 1, AT, AT));
        }

        @Test
        void mapperWithDefaultTypingIsRefused() {
            JsonMapper typing = JsonMapper.builder()
                    .activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfSubType(Object.class).build(),
                            DefaultTyping.NON_FINAL)
                    .build();

            assertThatThrownBy(() -> JacksonSerializer.json(typing))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("default typing");
        }

        @Test
        void binaryNeedsABinaryMapperAndNullIsRefused() {
            assertThatThrownBy(() -> JacksonSerializer.binary(JsonMapper.builder().build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("binary mapper");
            assertThatThrownBy(() -> JacksonSerializer.json(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("null");
            assertThat(JacksonSerializer.binary(CBORMapper.builder().build()).format()).isEqualTo(PayloadFormat.BINARY);
        }
    }

    @Nested
    class OnlyBoundTypesAreInstantiated {

        @Test
        void unknownTypeNameNamesTypeAndAggregate() {
            JacksonSerializer serializer = bound(JacksonSerializer.json());

            assertThatThrownBy(() -> serializer.unmarshal(record("PaymentReceived", "{}")))
                    .isInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining("'PaymentReceived'")
                    .hasMessageContaining("'order-1'")
                    .satisfies(e -> {
                        UnknownEventTypeException unknown = (UnknownEventTypeException) e;
                        assertThat(unknown.eventType()).isEqualTo("PaymentReceived");
                        assertThat(unknown.aggregateId()).isEqualTo("order-1");
                    });
        }

        @Test
        void aClassNameAsTypeNameNeverLoadsThatClass() {
            JacksonSerializer serializer = bound(JacksonSerializer.json());

            assertThatThrownBy(() -> serializer.unmarshal(record("java.lang.ProcessBuilder", "{\"command\":[\"true\"]}")))
                    .isInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining("java.lang.ProcessBuilder");
            assertThatThrownBy(() -> serializer.unmarshal(record(OrderShipped.class.getName(), "{}")))
                    .isInstanceOf(UnknownEventTypeException.class);
        }

        @Test
        void aClassPropertyInThePayloadIsIgnoredAndTheBoundClassIsUsed() {
            JacksonSerializer serializer = bound(JacksonSerializer.json());

            Event event = serializer.unmarshal(record("order.shipped.v1",
                    "{\"@class\":\"java.lang.ProcessBuilder\",\"aggregateId\":\"order-1\",\"version\":1,"
                            + "\"at\":\"2024-05-06T07:08:09Z\",\"carrier\":\"UPS\"}"));

            assertThat(event).isInstanceOf(OrderShipped.class);
            assertThat(((OrderShipped) event).carrier()).isEqualTo("UPS");
        }

        @Test
        void classNamesInsideAnObjectComponentStayPlainData() {
            JacksonSerializer serializer = bound(JacksonSerializer.json());

            Loose event = (Loose) serializer.unmarshal(record("Loose",
                    "{\"aggregateId\":\"order-1\",\"version\":1,\"at\":\"2024-05-06T07:08:09Z\","
                            + "\"detail\":[\"java.lang.ProcessBuilder\",{\"command\":[\"true\"]}]}"));

            assertThat(event.detail()).isInstanceOf(List.class);
            assertThat((List<?>) event.detail()).first().isEqualTo("java.lang.ProcessBuilder");
        }

        @Test
        void marshallingAnUnboundClassNamesItsType() {
            JacksonSerializer serializer = JacksonSerializer.json();

            assertThatThrownBy(() -> serializer.marshal(new Counted("c-9", 1, AT, 1)))
                    .isInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining("'Counted'")
                    .hasMessageContaining("'c-9'");
        }
    }

    @Nested
    class BadBytes {

        static Stream<JacksonSerializer> serializers() {
            return JacksonSerializerTest.serializers();
        }

        @ParameterizedTest
        @MethodSource("serializers")
        void truncatedBytesNameTypeVersionAndAggregate(JacksonSerializer serializer) {
            Record whole = bound(serializer).marshal(new OrderShipped("order-1", 4, AT, "UPS"));
            Record truncated = Record.of("order-1", 4, whole.type(), AT,
                    Arrays.copyOf(whole.data(), whole.data().length / 2));

            assertBadPayload(serializer, truncated, "order.shipped.v1", 4);
        }

        @ParameterizedTest
        @MethodSource("serializers")
        void emptyBytes(JacksonSerializer serializer) {
            assertBadPayload(bound(serializer), Record.of("order-1", 2, "Counted", AT, new byte[0]), "Counted", 2);
        }

        @Test
        void nonJsonBytes() {
            assertBadPayload(bound(JacksonSerializer.json()),
                    Record.of("order-1", 2, "Counted", AT, "this is not JSON".getBytes(StandardCharsets.UTF_8)),
                    "Counted", 2);
            assertBadPayload(bound(JacksonSerializer.json()),
                    Record.of("order-1", 2, "Counted", AT, new byte[] {(byte) 0xFF, 0x00, 0x13}), "Counted", 2);
        }

        @Test
        void jsonBytesGivenToCbor() {
            assertBadPayload(bound(JacksonSerializer.cbor()),
                    Record.of("order-1", 2, "Counted", AT, "{\"count\":1}".getBytes(StandardCharsets.UTF_8)),
                    "Counted", 2);
        }

        @Test
        void jsonNull() {
            assertBadPayload(bound(JacksonSerializer.json()), record("Counted", "null"), "Counted", 1);
        }

        @Test
        void trailingGarbageAfterAValidObject() {
            assertBadPayload(bound(JacksonSerializer.json()), record("Counted",
                    "{\"aggregateId\":\"order-1\",\"version\":1,\"at\":\"2024-05-06T07:08:09Z\",\"count\":1} trailing"),
                    "Counted", 1);
        }

        @Test
        void aShapeThatDoesNotFitTheClass() {
            JacksonSerializer serializer = bound(JacksonSerializer.json());

            assertBadPayload(serializer, record("Counted",
                    "{\"aggregateId\":\"order-1\",\"version\":1,\"at\":\"2024-05-06T07:08:09Z\",\"count\":\"many\"}"),
                    "Counted", 1);
            assertBadPayload(serializer, record("Counted", "[1,2,3]"), "Counted", 1);
            assertBadPayload(serializer, record("Counted", "42"), "Counted", 1);
        }

        @Test
        void aPayloadOfAnotherAggregateOrVersionIsRejected() {
            JacksonSerializer serializer = bound(JacksonSerializer.json());
            String json = "{\"aggregateId\":\"order-2\",\"version\":1,\"at\":\"2024-05-06T07:08:09Z\",\"count\":1}";

            assertThatThrownBy(() -> serializer.unmarshal(record("Counted", json)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("'order-1'")
                    .hasMessageContaining("'order-2'");
            assertThatThrownBy(() -> serializer.unmarshal(Record.of("order-2", 7, "Counted", AT,
                    json.getBytes(StandardCharsets.UTF_8))))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("version 7");
        }

        private void assertBadPayload(JacksonSerializer serializer, Record record, String type, long version) {
            bound(serializer);
            assertThatThrownBy(() -> serializer.unmarshal(record))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining(type)
                    .hasMessageContaining("version " + version)
                    .hasMessageContaining("'order-1'")
                    .isInstanceOfSatisfying(SerializationException.class, failure -> {
                        assertThat(failure.direction()).isEqualTo(SerializationException.Direction.DESERIALIZE);
                        assertThat(failure.eventType()).isEqualTo(type);
                        assertThat(failure.eventClass()).isEqualTo(serializer.boundType(type));
                        assertThat(failure.aggregateId()).isEqualTo("order-1");
                        assertThat(failure.version()).isEqualTo(version);
                    });
        }
    }

    @Nested
    class UnknownAndMissingProperties {

        @Test
        void propertiesAddedByANewerVersionAreIgnored() {
            Event event = bound(JacksonSerializer.json()).unmarshal(record("Counted",
                    "{\"aggregateId\":\"order-1\",\"version\":1,\"at\":\"2024-05-06T07:08:09Z\",\"count\":3,"
                            + "\"addedLater\":{\"x\":1}}"));

            assertThat(event).isEqualTo(new Counted("order-1", 1, Instant.parse("2024-05-06T07:08:09Z"), 3));
        }

        @Test
        void areIgnoredEvenWhenTheCallersMapperFailsOnThem() {
            JsonMapper strict = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

            Event event = bound(JacksonSerializer.json(strict)).unmarshal(record("Counted",
                    "{\"aggregateId\":\"order-1\",\"version\":1,\"at\":\"2024-05-06T07:08:09Z\",\"count\":3,"
                            + "\"addedLater\":true}"));

            assertThat(((Counted) event).count()).isEqualTo(3);
        }

        @Test
        void propertiesMissingFromAnOlderVersionGetAbsentValues() {
            OrderPlaced event = (OrderPlaced) bound(JacksonSerializer.json()).unmarshal(record("OrderPlaced",
                    "{\"aggregateId\":\"order-1\",\"version\":1,\"at\":\"2024-05-06T07:08:09Z\"}"));

            assertThat(event.total()).isNull();
            assertThat(event.items()).isNull();
            assertThat(event.note()).isEmpty();
        }
    }

    @Nested
    class Binding {

        @Test
        void twoClassesUnderOneNameNameBothClasses() {
            JacksonSerializer serializer = JacksonSerializer.json().bind(Billing.Charged.class);

            assertThatThrownBy(() -> serializer.bind(Shipping.Charged.class))
                    .isInstanceOf(DuplicateEventTypeException.class)
                    .hasMessageContaining("'Charged'")
                    .hasMessageContaining(Billing.Charged.class.getName())
                    .hasMessageContaining(Shipping.Charged.class.getName())
                    .satisfies(e -> assertThat(((DuplicateEventTypeException) e).classes())
                            .containsExactly(Billing.Charged.class, Shipping.Charged.class));
            assertThat(serializer.boundType("Charged")).isEqualTo(Billing.Charged.class);
        }

        @Test
        void aDuplicateInOneCallBindsNothingOfThatCall() {
            JacksonSerializer serializer = JacksonSerializer.json();

            assertThatThrownBy(() -> serializer.bind(Counted.class, Billing.Charged.class, Shipping.Charged.class))
                    .isInstanceOf(DuplicateEventTypeException.class)
                    .hasMessageContaining(Billing.Charged.class.getName())
                    .hasMessageContaining(Shipping.Charged.class.getName());
            assertThat(serializer.boundType("Counted")).isNull();
            assertThat(serializer.boundType("Charged")).isNull();
        }

        @Test
        void bindingTheSameClassTwiceIsFine() {
            JacksonSerializer serializer = JacksonSerializer.json().bind(Counted.class, Counted.class);

            assertThatCode(() -> serializer.bind(Counted.class)).doesNotThrowAnyException();
            assertThat(serializer.unmarshal(serializer.marshal(new Counted("c", 1, AT, 2))))
                    .isEqualTo(new Counted("c", 1, AT, 2));
        }

        @Test
        void aNonEventIsRefused() {
            assertThatThrownBy(() -> JacksonSerializer.json().bind(String.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.String")
                    .hasMessageContaining("does not implement dev.eventsource.Event");
        }

        @Test
        void interfacesAndAbstractClassesAreRefused() {
            assertThatThrownBy(() -> JacksonSerializer.json().bind(Shape.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Shape.class.getName())
                    .hasMessageContaining("abstract");
            assertThatThrownBy(() -> JacksonSerializer.json().bind(AbstractEvent.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(AbstractEvent.class.getName());
            assertThatThrownBy(() -> JacksonSerializer.json().bind(Event.class))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void nullIsRefused() {
            assertThatThrownBy(() -> JacksonSerializer.json().bind((Class<?>) null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("null");
            assertThatThrownBy(() -> JacksonSerializer.json().bind((Class<?>[]) null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("null");
        }

        @Test
        void aBlankEventTypeNameIsRefusedNamingTheClass() {
            assertThatThrownBy(() -> JacksonSerializer.json().bind(BlankName.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(BlankName.class.getName())
                    .hasMessageContaining("blank");
        }

        @Test
        void nullEventOrRecordIsRefused() {
            Serializer serializer = JacksonSerializer.json();

            assertThatThrownBy(() -> serializer.marshal(null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> serializer.unmarshal(null)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
