package dev.eventsource.serializer.jackson;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Events and their values are built through their constructors called with spread handles: what they read, how
 * absent values default, and how a constructor's refusal is reported are as with Jackson's own call.
 */
class SpreadCreatorsTest {

    private static final Instant AT = Instant.parse("2024-05-06T07:08:09.123456Z");

    private record Money(BigDecimal amount, String currency) {
        private Money {
            if (amount.signum() < 0) {
                throw new IllegalArgumentException("amount must not be negative, got " + amount);
            }
        }
    }

    private record Paid(String aggregateId, long version, Instant at, Money money, List<String> tags, int count,
                        boolean urgent) implements Event {
    }

    @Test
    void aPrivateRecordWithManyComponentsAndANestedRecordReadsBackWhole() {
        JacksonSerializer serializer = JacksonSerializer.json().bind(Paid.class);
        Paid paid = new Paid("p-1", 2, AT, new Money(new BigDecimal("12.50"), "EUR"), List.of("a", "b"), 3, true);

        assertThat(serializer.unmarshal(serializer.marshal(paid))).isEqualTo(paid);
    }

    @Test
    void anAbsentObjectIsNullAndAnAbsentPrimitiveIsRefusedAsJacksonDoes() {
        JacksonSerializer serializer = JacksonSerializer.json().bind(Paid.class);
        Record record = Record.of("p-1", 2, "Paid", AT,
                "{\"money\":{\"amount\":1,\"currency\":\"EUR\"},\"count\":1,\"urgent\":false}".getBytes());
        Record noCount = Record.of("p-1", 2, "Paid", AT, "{\"urgent\":true}".getBytes());

        assertThat(serializer.unmarshal(record))
                .isEqualTo(new Paid("p-1", 2, AT, new Money(BigDecimal.ONE, "EUR"), null, 1, false));
        assertThatThrownBy(() -> serializer.unmarshal(noCount))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot map `null` into type `int`");
    }

    @Test
    void aConstructorsRefusalIsReportedWithItsMessageAndTheEvent() {
        JacksonSerializer serializer = JacksonSerializer.json().bind(Paid.class);
        Record record = Record.of("p-1", 2, "Paid", AT,
                "{\"money\":{\"amount\":-5,\"currency\":\"EUR\"},\"count\":1}".getBytes());

        assertThatThrownBy(() -> serializer.unmarshal(record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Paid version 2 of aggregate 'p-1'")
                .hasMessageContaining("amount must not be negative, got -5");
    }
}
