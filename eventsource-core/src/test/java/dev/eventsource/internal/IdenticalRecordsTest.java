package dev.eventsource.internal;

import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one notion of an identical re-save: parsed JSON for JSON payloads, bytes for binary ones, the same on the
 * memory store as on the JDBC store (whose jsonb column rewrites the text).
 */
class IdenticalRecordsTest {

    private static final Instant AT = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void jsonPayloadsAreComparedAsParsedValues() {
        byte[] written = json("{\"name\":\"Ada\",\"n\":1}");
        byte[] normalised = json("{\"n\": 1, \"name\": \"Ada\"}");

        assertThat(IdenticalRecords.samePayload(written, normalised, PayloadFormat.JSON)).isTrue();
        assertThat(IdenticalRecords.samePayload(written, normalised, null)).isTrue();
        assertThat(IdenticalRecords.samePayload(written, json("{\"n\": 2, \"name\": \"Ada\"}"), PayloadFormat.JSON))
                .isFalse();
    }

    @Test
    void binaryPayloadsAreComparedAsBytes() {
        byte[] written = json("{\"n\":1}");

        assertThat(IdenticalRecords.samePayload(written, written.clone(), PayloadFormat.BINARY)).isTrue();
        assertThat(IdenticalRecords.samePayload(written, json("{\"n\": 1}"), PayloadFormat.BINARY)).isFalse();
        assertThat(IdenticalRecords.samePayload(new byte[] {1, 2}, new byte[] {1, 3}, null)).isFalse();
    }

    @Test
    void aBatchIsStoredWhenVersionsTypesAndPayloadsMatch() {
        List<Record> stored = List.of(record(1, "Opened", "{\"n\": 1}"), record(2, "Renamed", "{\"n\": 2}"));

        assertThat(IdenticalRecords.isStored(stored, List.of(record(1, "Opened", "{\"n\":1}"),
                record(2, "Renamed", "{\"n\":2}")), PayloadFormat.JSON)).isTrue();
        assertThat(IdenticalRecords.isStored(stored, List.of(record(1, "Opened", "{\"n\":1}"),
                record(2, "Closed", "{\"n\":2}")), PayloadFormat.JSON)).as("another type").isFalse();
        assertThat(IdenticalRecords.isStored(stored.subList(0, 1), List.of(record(1, "Opened", "{\"n\":1}"),
                record(2, "Renamed", "{\"n\":2}")), PayloadFormat.JSON)).as("a version missing").isFalse();
    }

    @Test
    void theMemoryStoreAcceptsAResaveWhoseJsonOnlyDiffersInSpacingAndKeyOrder() {
        MemoryStore store = new MemoryStore();
        store.save("p-1", List.of(record(1, "Opened", "{\"name\":\"Ada\",\"n\":1}")));

        assertThat(store.save("p-1", List.of(record(1, "Opened", "{\"n\": 1, \"name\": \"Ada\"}")))).isFalse();
        assertThatThrownBy(() -> store.save("p-1", List.of(record(1, "Opened", "{\"n\": 2, \"name\": \"Ada\"}"))))
                .isInstanceOf(ConcurrencyConflictException.class);
        assertThat(store.load("p-1", 0, 0).version()).isEqualTo(1);
    }

    private static Record record(long version, String type, String payload) {
        return Record.of("Person", "p-1", version, type, AT, json(payload));
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
