package dev.eventsource.test;

import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Store;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every group of the store contract shares: the store under test, taken from the {@link StoreContractTests}
 * that runs the group, how payloads are compared, and the records the tests write. A group only reads and writes
 * the store; creating it is the entry point's job.
 */
abstract class StoreContract {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Instant BASE_TIME = Instant.parse("2024-03-05T10:15:30.123456Z");
    static final String TYPE = "ContractTested";
    /** The aggregate type of the streams the tests write. */
    static final String STREAM = "Order";
    static final int EVERYTHING = 100_000;

    /** The entry point running this group: it creates the store and says how payloads compare. */
    private final StoreContractTests entry;

    /** The store under test, the one {@link StoreContractTests#newStore()} returned for this test. */
    Store store;

    StoreContract(StoreContractTests entry) {
        this.entry = entry;
    }

    @BeforeEach
    final void takeStore() {
        store = entry.store;
    }

    /** Asserts that a loaded payload is the one saved, as {@link StoreContractTests#assertSamePayload} says. */
    void assertSamePayload(byte[] expected, byte[] actual) {
        entry.assertSamePayload(expected, actual);
    }

    static byte[] json(String text) {
        return text.getBytes(UTF_8);
    }

    static Record record(String aggregateId, long version) {
        return record(aggregateId, version, "{\"n\": " + version + "}");
    }

    static Record record(String aggregateId, long version, String payload) {
        return Record.of(STREAM, aggregateId, version, TYPE, BASE_TIME.plusSeconds(version), json(payload));
    }

    static String payloadFor(String aggregateId, long version) {
        return JSON.createObjectNode().put("aggregate", aggregateId).put("n", version).toString();
    }

    /** Saves versions {@code from..to} of an aggregate as one batch, with payload {"n": version}. */
    void saveVersions(String aggregateId, long from, long to) {
        List<Record> batch = new ArrayList<>();
        for (long version = from; version <= to; version++) {
            batch.add(record(aggregateId, version));
        }
        store.save(aggregateId, batch);
    }

    void assertStoredPayloads(String aggregateId, String... payloads) {
        History history = store.load(aggregateId);
        assertThat(versionsOf(history)).as("versions of %s", aggregateId)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, payloads.length).boxed().toList());
        for (int i = 0; i < payloads.length; i++) {
            assertSamePayload(json(payloads[i]), history.get(i).data());
        }
    }

    static List<Long> versionsOf(List<Record> records) {
        return records.stream().map(Record::version).toList();
    }

    static List<Long> positionsOf(List<Record> records) {
        return records.stream().map(Record::position).toList();
    }

    static List<String> keysOf(List<Record> records) {
        return records.stream().map(r -> r.aggregateId() + "@" + r.version() + "#" + r.position()).toList();
    }

    static void assertStrictlyIncreasingPositions(List<Record> stream) {
        for (int i = 0; i < stream.size(); i++) {
            assertThat(stream.get(i).position()).as("position of record %d of the stream", i).isPositive();
            if (i > 0) {
                assertThat(stream.get(i).position()).as("position of record %d of the stream", i)
                        .isGreaterThan(stream.get(i - 1).position());
            }
        }
    }
}
