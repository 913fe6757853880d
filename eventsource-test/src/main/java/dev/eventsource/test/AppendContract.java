package dev.eventsource.test;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.History;
import dev.eventsource.Record;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store contract's appends: a saved record loads back as saved, with every field, its command id, revision,
 * metadata, microseconds and aggregate type; payloads are copied; unusual ids are stored verbatim and compared
 * exactly; an empty save changes nothing. One group of {@link StoreContractTests}, which runs it on its subclass's
 * store.
 */
abstract class AppendContract extends StoreContract {

    AppendContract(StoreContractTests entry) {
        super(entry);
    }

    @Test
    @DisplayName("a saved record loads back with its id, version, type, time, payload and metadata")
    void roundTripKeepsEveryField() {
        Instant at = Instant.parse("2023-07-14T22:59:58.654321Z");
        Record saved = Record.of(STREAM, "order-1", 1, "OrderPlaced", at,
                        json("{\"customer\": \"Zoë 😀\", \"lines\": [{\"sku\": \"A-1\", \"qty\": 2}], \"total\": 12.5}"))
                .withMetadata(Map.of("user", "ada", "correlation-id", "c-42", "note", "naïve \"quoted\""));

        store.save("order-1", saved);

        History history = store.load("order-1");
        assertThat(history).hasSize(1);
        Record loaded = history.get(0);
        assertThat(loaded.aggregateId()).isEqualTo("order-1");
        assertThat(loaded.version()).isEqualTo(1);
        assertThat(loaded.type()).isEqualTo("OrderPlaced");
        assertThat(loaded.at()).isEqualTo(at);
        assertSamePayload(saved.data(), loaded.data());
        assertThat(loaded.metadata()).isEqualTo(saved.metadata());
        assertThat(loaded.aggregateType()).isEqualTo(STREAM);
        assertThat(loaded.commandId()).isNull();
        assertThat(history.version()).isEqualTo(1);
    }

    @Test
    @DisplayName("the id of the command that produced a batch is stored with each of its records")
    void commandIdRoundTrips() {
        store.save("order-1", record("order-1", 1).withCommandId("cmd-1"), record("order-1", 2).withCommandId("cmd-1"));
        store.save("order-1", record("order-1", 3));

        assertThat(store.load("order-1")).extracting(Record::commandId).containsExactly("cmd-1", "cmd-1", null);
        assertThat(store.readAll(0, EVERYTHING)).extracting(Record::commandId).containsExactly("cmd-1", "cmd-1", null);
    }

    @Test
    @DisplayName("a record without metadata loads with empty metadata, and times keep their microseconds")
    void roundTripWithoutMetadataKeepsMicroseconds() {
        Instant winter = Instant.parse("2021-01-01T00:00:00.000001Z");
        Instant recent = Instant.now().truncatedTo(ChronoUnit.MICROS);
        store.save("order-1",
                Record.of(STREAM, "order-1", 1, TYPE, winter, json("{\"n\": 1}")),
                Record.of(STREAM, "order-1", 2, TYPE, recent, json("{\"n\": 2}")));

        History history = store.load("order-1");

        assertThat(history).extracting(Record::at).containsExactly(winter, recent);
        assertThat(history).extracting(Record::metadata).containsExactly(Map.of(), Map.of());
    }

    @Test
    @DisplayName("times read back to the microsecond before 1970, around 2000 and far ahead, on every read")
    void timesReadBackExactlyOnEveryRead() {
        List<Instant> times = List.of(Instant.parse("1969-07-20T20:17:40.000001Z"),
                Instant.parse("1999-12-31T23:59:59.999999Z"), Instant.parse("2000-01-01T00:00:00Z"),
                Instant.parse("2000-01-01T00:00:00.000001Z"), Instant.parse("2038-01-19T03:14:08.123456Z"),
                Instant.parse("2999-12-31T23:59:59.999999Z"));
        Record[] records = new Record[times.size()];
        for (int i = 0; i < records.length; i++) {
            records[i] = Record.of(STREAM, "order-1", i + 1, TYPE, times.get(i), json("{\"n\": " + i + "}"));
        }
        store.save("order-1", records);

        // PostgreSQL's driver switches a statement to binary results after a few executions: read past that.
        for (int read = 0; read < 20; read++) {
            assertThat(store.load("order-1")).as("load %d", read).extracting(Record::at).containsExactlyElementsOf(times);
            assertThat(store.readAll(0, EVERYTHING)).as("readAll %d", read).extracting(Record::at)
                    .containsExactlyElementsOf(times);
        }
    }

    @Test
    @DisplayName("types, stream types and metadata with repeated and non-ASCII values read back on every read")
    void repeatedAndNonAsciiTextsReadBackOnEveryRead() {
        String stream = "Kontø-Ström";
        List<String> types = List.of("Geöffnet", "Einzahlung😀", "Geöffnet", "Einzahlung😀", "Closed", "Einzahlung😀");
        List<Map<String, String>> metadata = List.of(Map.of(), Map.of("user", "zoë"), Map.of(), Map.of("user", "zoë"),
                Map.of("note", "{}"), Map.of());
        Record[] records = new Record[types.size()];
        for (int i = 0; i < records.length; i++) {
            records[i] = Record.of(stream, "order-1", i + 1, types.get(i), BASE_TIME, json("{\"n\": " + i + "}"))
                    .withMetadata(metadata.get(i));
        }
        store.save("order-1", records);

        for (int read = 0; read < 20; read++) {
            History history = store.load("order-1");
            assertThat(history).as("load %d", read).extracting(Record::type).containsExactlyElementsOf(types);
            assertThat(history).extracting(Record::metadata).containsExactlyElementsOf(metadata);
            assertThat(history).extracting(Record::aggregateType).containsOnly(stream);
        }
    }

    @Test
    @DisplayName("each record keeps its revision through save, load, loadLatest and the global stream")
    void revisionRoundTrips() {
        store.save("order-1", record("order-1", 1), record("order-1", 2).withRevision(2));
        store.save("order-1", record("order-1", 3).withRevision(7));
        store.save("order-2", record("order-2", 1).withRevision(7), record("order-2", 2).withRevision(2),
                record("order-2", 3));

        assertThat(store.load("order-1")).extracting(Record::revision).containsExactly(1, 2, 7);
        assertThat(store.load("order-1", 2, 3)).extracting(Record::revision).containsExactly(2, 7);
        assertThat(store.loadLatest("order-1", 0, 0)).extracting(Record::revision).containsExactly(1, 2, 7);
        assertThat(store.load("order-2")).extracting(Record::revision).containsExactly(7, 2, 1);
        assertThat(store.loadLatest("order-2", 1, 2)).extracting(Record::revision).containsExactly(7, 2);
        assertThat(store.readAll(0, EVERYTHING))
                .extracting(r -> r.aggregateId() + "@" + r.version() + " r" + r.revision())
                .containsExactly("order-1@1 r1", "order-1@2 r2", "order-1@3 r7", "order-2@1 r7", "order-2@2 r2",
                        "order-2@3 r1");
        assertThat(store.load("order-1")).extracting(Record::type).containsOnly(TYPE);
        assertSamePayload(json("{\"n\": 3}"), store.load("order-1").get(2).data());
    }

    @Test
    @DisplayName("the store keeps its own copy of a payload: changing the saved or a loaded byte array changes nothing")
    void payloadsAreCopied() {
        byte[] saved = json("{\"n\": 1}");
        store.save("order-1", Record.of(STREAM, "order-1", 1, TYPE, BASE_TIME, saved));
        Arrays.fill(saved, (byte) ' ');

        Arrays.fill(store.load("order-1").get(0).data(), (byte) ' ');
        Arrays.fill(store.readAll(0, EVERYTHING).get(0).data(), (byte) ' ');

        assertSamePayload(json("{\"n\": 1}"), store.load("order-1").get(0).data());
        assertSamePayload(json("{\"n\": 1}"), store.readAll(0, EVERYTHING).get(0).data());
        store.save("order-1", Record.of(STREAM, "order-1", 1, TYPE, BASE_TIME, json("{\"n\": 1}")));
        assertThat(store.readAll(0, EVERYTHING)).as("re-save of the original payload is still idempotent").hasSize(1);
    }

    @Test
    @DisplayName("saving no records changes nothing: a new aggregate stays not found, an existing one unchanged")
    void emptySaveIsNoOp() {
        store.save("order-1", List.of());
        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
        assertThat(store.readAll(0, EVERYTHING)).isEmpty();

        saveVersions("order-2", 1, 2);
        store.save("order-2", List.of());
        assertThat(versionsOf(store.load("order-2"))).containsExactly(1L, 2L);
        assertThat(store.readAll(0, EVERYTHING)).hasSize(2);
    }

    @Test
    @DisplayName("every record loads with the aggregate type of its stream, in loads and in the global stream")
    void streamsKeepTheirAggregateType() {
        store.save("order-1", record("order-1", 1));
        store.save("cust-1", Record.of("Customer", "cust-1", 1, TYPE, BASE_TIME, json("{\"n\": 1}")));

        assertThat(store.load("order-1")).extracting(Record::aggregateType).containsExactly(STREAM);
        assertThat(store.load("cust-1")).extracting(Record::aggregateType).containsExactly("Customer");
        assertThat(store.readAll(0, EVERYTHING)).extracting(Record::aggregateType).containsExactly(STREAM, "Customer");
    }

    @Test
    @DisplayName("aggregate ids with quotes, semicolons, SQL, unicode and 255 characters are stored verbatim")
    void unusualAggregateIdsAreStoredVerbatim() {
        List<String> ids = List.of(
                "it's \"quoted\"",
                "a; DROP TABLE events; --",
                "back\\slash %_ wildcards",
                "ünïcödé-名前-🚀",
                "x".repeat(254) + "é");
        for (String id : ids) {
            store.save(id, record(id, 1, payloadFor(id, 1)), record(id, 2, payloadFor(id, 2)));
        }

        for (String id : ids) {
            History history = store.load(id);
            assertThat(history).extracting(Record::aggregateId).containsOnly(id);
            assertThat(versionsOf(history)).containsExactly(1L, 2L);
            assertSamePayload(json(payloadFor(id, 2)), history.get(1).data());
        }
        assertThat(store.readAll(0, EVERYTHING)).extracting(Record::aggregateId)
                .containsExactly(ids.stream().flatMap(id -> java.util.stream.Stream.of(id, id)).toArray(String[]::new));
    }

    @Test
    @DisplayName("ids that differ only in letter case, accents or a trailing space are different aggregates")
    void idsAreComparedExactly() {
        List<String> ids = List.of("order-a", "ORDER-A", "café", "cafe", "order-b", "order-b ");
        for (String id : ids) {
            store.save(id, record(id, 1, payloadFor(id, 1)));
        }

        for (String id : ids) {
            assertThat(store.load(id)).as("history of '%s'", id).singleElement()
                    .satisfies(loaded -> assertThat(loaded.aggregateId()).isEqualTo(id))
                    .satisfies(loaded -> assertSamePayload(json(payloadFor(id, 1)), loaded.data()));
        }
        for (String unknown : List.of("Order-A", "CAFÉ", "order-_", "order-%", " order-b")) {
            assertThatThrownBy(() -> store.load(unknown)).as("load of '%s'", unknown)
                    .isInstanceOf(AggregateNotFoundException.class);
        }
    }
}
