package dev.eventsource.serializer.jackson;

import dev.eventsource.Event;
import dev.eventsource.EventRevisionException;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import dev.eventsource.annotation.EventType;
import dev.eventsource.upcast.Upcaster;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The serializer's slow path as the benchmarks drive it: records of several old revisions of one type read in any
 * order, the way up of each remembered, and forgotten when upcasters are added.
 */
class JacksonSerializerUpcastPathTest {

    static final Instant AT = Instant.parse("2024-05-06T07:08:09.123Z");

    /** Revision 1 stored {@code amt}; revision 2 {@code amount} in cents as text; revision 3 is this. */
    @EventType(value = "Paid", revision = 3)
    record Paid(String aggregateId, long version, Instant at, long cents) implements Event {
    }

    static final Upcaster ONE_TO_TWO = Upcaster.from("Paid", 1).renameField("amt", "amount");
    static final Upcaster TWO_TO_THREE = Upcaster.from("Paid", 2)
            .convertField("amount", amount -> Long.parseLong(amount.asString()))
            .renameField("amount", "cents");

    static Record stored(long version, int revision, String fields) {
        String json = "{\"aggregateId\":\"p-1\",\"version\":" + version + ",\"at\":\"2024-05-06T07:08:09.123Z\","
                + fields + "}";
        return Record.of("p-1", version, "Paid", revision, AT, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recordsOfEveryRevisionReadInAnyOrderEachTakeTheirOwnWayUp() {
        JacksonSerializer serializer = JacksonSerializer.json().addUpcasters(ONE_TO_TWO, TWO_TO_THREE);
        serializer.bind(Paid.class);
        Record one = stored(1, 1, "\"amt\":\"150\"");
        Record two = stored(2, 2, "\"amount\":\"250\"");
        Record three = serializer.marshal(new Paid("p-1", 3, AT, 350));

        // Twice each, interleaved: a remembered plan of one revision must never serve another.
        for (int round = 0; round < 2; round++) {
            assertThat(serializer.unmarshal(two)).isEqualTo(new Paid("p-1", 2, AT, 250));
            assertThat(serializer.unmarshal(one)).isEqualTo(new Paid("p-1", 1, AT, 150));
            assertThat(serializer.unmarshal(three)).isEqualTo(new Paid("p-1", 3, AT, 350));
        }
        assertThat(three.revision()).isEqualTo(3);
    }

    @Test
    void aRevisionThatFailedToPlanReadsOnceTheMissingStepIsAdded() {
        JacksonSerializer serializer = JacksonSerializer.json().addUpcasters(TWO_TO_THREE);
        serializer.bind(Paid.class);
        Record one = stored(1, 1, "\"amt\":\"150\"");

        assertThatThrownBy(() -> serializer.unmarshal(one))
                .isInstanceOf(EventRevisionException.class)
                .hasMessageContaining("no upcaster reads 'Paid' revision 1");
        serializer.addUpcasters(ONE_TO_TWO);

        assertThat(serializer.unmarshal(one)).isEqualTo(new Paid("p-1", 1, AT, 150));
    }

    @Test
    void aPayloadThatDoesNotFitAfterUpcastingNamesItsStoredRevisionAndTheSteps() {
        JacksonSerializer serializer = JacksonSerializer.json().addUpcasters(ONE_TO_TWO, TWO_TO_THREE);
        serializer.bind(Paid.class);
        Record bad = stored(1, 1, "\"amt\":\"150\",\"at\":[1,2,3]");

        assertThatThrownBy(() -> serializer.unmarshal(bad))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("(stored as Paid revision 1) after 2 upcast steps into " + Paid.class.getName());
    }

    @Test
    void aPayloadThatIsNotAnObjectIsNotUpcast() {
        JacksonSerializer serializer = JacksonSerializer.json().addUpcasters(ONE_TO_TWO, TWO_TO_THREE);
        serializer.bind(Paid.class);
        Record empty = Record.of("p-1", 1, "Paid", 1, AT, new byte[0]);
        Record array = Record.of("p-1", 2, "Paid", 1, AT, "[1]".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> serializer.unmarshal(empty))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("the payload is MISSING, not an object");
        assertThatThrownBy(() -> serializer.unmarshal(array))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("the payload is ARRAY, not an object");
    }
}
