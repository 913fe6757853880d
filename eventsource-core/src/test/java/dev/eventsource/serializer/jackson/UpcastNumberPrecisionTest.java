package dev.eventsource.serializer.jackson;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.annotation.EventType;
import dev.eventsource.upcast.Upcaster;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** An upcast payload's numbers reach the class exactly as a payload read without upcasting does. */
class UpcastNumberPrecisionTest {

    private static final Instant AT = Instant.parse("2024-05-06T07:08:09Z");

    @EventType(value = "Paid", revision = 2)
    record Paid(String aggregateId, long version, Instant at, BigDecimal amount, BigDecimal fee, double rate)
            implements Event {
    }

    @Test
    void keepsTheDigitsAndScaleOfDecimalsThroughAnUpcast() {
        JacksonSerializer serializer = JacksonSerializer.json().bind(Paid.class)
            .addUpcasters(Upcaster.from("Paid", 1).renameField("sum", "amount"));
        String fields = "\"aggregateId\": \"p-1\", \"version\": 1, \"at\": \"" + AT + "\", "
                + "\"fee\": 10.50, \"rate\": 0.1, ";

        Event upcast = serializer.unmarshal(Record.of("p-1", 1, "Paid", 1, AT,
                ("{" + fields + "\"sum\": 12345678901234567.89}").getBytes(StandardCharsets.UTF_8)));
        Event direct = serializer.unmarshal(Record.of("p-1", 1, "Paid", 2, AT,
                ("{" + fields + "\"amount\": 12345678901234567.89}").getBytes(StandardCharsets.UTF_8)));

        assertThat(upcast).isEqualTo(direct)
            .isEqualTo(new Paid("p-1", 1, AT, new BigDecimal("12345678901234567.89"), new BigDecimal("10.50"), 0.1));
    }
}
