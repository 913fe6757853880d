package dev.eventsource.test;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The rules every {@link Store} must keep, as JUnit 5 tests: extend this class, return a fresh, empty store from
 * {@link #newStore()}, and the store is checked for round trips, range loads, conflicts, idempotent re-saves,
 * atomic batches, concurrent writers, the global stream and argument checks.
 *
 * <pre>{@code
 * class JdbcStorePostgresTests extends StoreContractTests {
 *     @Override
 *     protected Store newStore() {
 *         truncateEventsTable();
 *         return new JdbcStore(dataSource);
 *     }
 * }
 * }</pre>
 *
 * <p>Payloads are JSON, because a store on PostgreSQL keeps them in {@code jsonb}, which normalises whitespace and
 * key order; they are compared as parsed JSON by {@link #assertSamePayload}, which a store of binary payloads may
 * override. Times carry microseconds, the precision databases keep. Positions are only required to be positive
 * and strictly increasing, never to start at 1 or to be contiguous (a database sequence skips values on
 * rollback).
 */
public abstract class StoreContractTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant BASE_TIME = Instant.parse("2024-03-05T10:15:30.123456Z");
    private static final String TYPE = "ContractTested";
    /** The aggregate type of the streams the tests write. */
    private static final String STREAM = "Order";
    private static final int EVERYTHING = 100_000;
    private static final int WRITERS = 8;
    private static final int APPENDS_PER_WRITER = 25;
    private static final int AGGREGATES_PER_WRITER = 10;
    private static final long THREAD_GUARD_SECONDS = 60;

    /** The store under test: a new one for each test, from {@link #newStore()}. */
    protected Store store;

    /**
     * Creates the store a test runs against; called once per test.
     *
     * @return a store holding no records at all
     */
    protected abstract Store newStore();

    /**
     * Asserts that a loaded payload is the one saved. By default both are parsed as JSON and compared as trees,
     * since a {@code jsonb} column changes whitespace and key order; override for a store of binary payloads.
     *
     * @param expected the bytes saved
     * @param actual the bytes loaded
     * @throws AssertionError when they differ
     */
    protected void assertSamePayload(byte[] expected, byte[] actual) {
        JsonNode expectedTree = JSON.readTree(expected);
        JsonNode actualTree = JSON.readTree(actual);
        assertThat(actualTree)
                .as("payload: expected %s but loaded %s", new String(expected, UTF_8), new String(actual, UTF_8))
                .isEqualTo(expectedTree);
    }

    @BeforeEach
    final void createStore() {
        store = newStore();
        assertThat(store).as("newStore() must return a store").isNotNull();
    }

    // ---- round trip ---------------------------------------------------------------------------------------

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
    @DisplayName("a loaded history and a page of the stream are snapshots: later saves do not change them")
    void loadedResultsAreSnapshots() {
        saveVersions("order-1", 1, 2);
        History history = store.load("order-1");
        List<Record> page = store.readAll(0, EVERYTHING);

        saveVersions("order-1", 3, 4);

        assertThat(versionsOf(history)).containsExactly(1L, 2L);
        assertThat(history.version()).isEqualTo(2);
        assertThat(versionsOf(page)).containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("lastPosition is 0 when empty, then the position of the last record in the stream")
    void lastPositionIsTheHeadOfTheStream() {
        assertThat(store.lastPosition()).isZero();
        saveVersions("order-1", 1, 2);
        saveVersions("order-2", 1, 1);

        List<Record> stream = store.readAll(0, EVERYTHING);
        assertThat(store.lastPosition()).isEqualTo(stream.get(stream.size() - 1).position());
        assertThat(store.readAll(store.lastPosition(), EVERYTHING)).isEmpty();
    }

    // ---- range loads --------------------------------------------------------------------------------------

    @Test
    @DisplayName("load with only a lower bound returns that version and all later ones")
    void loadFromOnly() {
        saveVersions("order-1", 1, 5);

        assertThat(versionsOf(store.load("order-1", 3, 0))).containsExactly(3L, 4L, 5L);
    }

    @Test
    @DisplayName("load with only an upper bound returns the first versions up to and including it")
    void loadToOnly() {
        saveVersions("order-1", 1, 5);

        assertThat(versionsOf(store.load("order-1", 0, 2))).containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("load with both bounds includes both ends")
    void loadBothBoundsInclusive() {
        saveVersions("order-1", 1, 5);

        assertThat(versionsOf(store.load("order-1", 2, 4))).containsExactly(2L, 3L, 4L);
        assertThat(versionsOf(store.load("order-1", 3, 3))).containsExactly(3L);
    }

    @Test
    @DisplayName("load with both bounds open (0, 0) returns the whole history in version order")
    void loadOpenReturnsAll() {
        saveVersions("order-1", 1, 2);
        saveVersions("order-1", 3, 5);

        assertThat(versionsOf(store.load("order-1", 0, 0))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(versionsOf(store.load("order-1"))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store.load("order-1").version()).isEqualTo(5);
    }

    @Test
    @DisplayName("load from beyond the last version returns an empty history, not 'not found'")
    void loadFromBeyondEndIsEmpty() {
        saveVersions("order-1", 1, 3);

        assertThat(store.load("order-1", 4, 0)).isEmpty();
        assertThat(store.load("order-1", 10, 20)).isEmpty();
        assertThat(store.load("order-1", 3, 2)).as("a lower bound above the upper bound selects nothing").isEmpty();
    }

    @Test
    @DisplayName("load with an upper bound beyond the last version stops at the last version")
    void loadToBeyondEndStopsAtLast() {
        saveVersions("order-1", 1, 3);

        assertThat(versionsOf(store.load("order-1", 2, 99))).containsExactly(2L, 3L);
    }

    @Test
    @DisplayName("load rejects a negative version bound")
    void loadRejectsNegativeBounds() {
        saveVersions("order-1", 1, 1);

        assertThatIllegalArgumentException().isThrownBy(() -> store.load("order-1", -1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> store.load("order-1", 0, -1));
    }

    // ---- not found, empty save ----------------------------------------------------------------------------

    @Test
    @DisplayName("loading an aggregate without events throws AggregateNotFoundException naming the id")
    void unknownAggregateIsNotFound() {
        saveVersions("order-1", 1, 1);

        AggregateNotFoundException notFound = catchThrowableOfType(AggregateNotFoundException.class,
                () -> store.load("order-2"));
        assertThat(notFound).as("load of an unknown aggregate must throw AggregateNotFoundException").isNotNull();
        assertThat(notFound.aggregateId()).isEqualTo("order-2");
        assertThat(notFound).hasMessageContaining("order-2");
        assertThatThrownBy(() -> store.load("order-2", 1, 5)).isInstanceOf(AggregateNotFoundException.class);
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

    // ---- conflicts and idempotence ------------------------------------------------------------------------

    @Test
    @DisplayName("a batch overlapping stored versions is a conflict naming the aggregate, expected and actual version")
    void overlappingVersionsConflict() {
        saveVersions("order-1", 1, 2);

        ConcurrencyConflictException conflict = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 2, "{\"n\": 20}"), record("order-1", 3, "{\"n\": 30}")));

        assertThat(conflict).as("save of versions 2..3 over 1..2 must be a ConcurrencyConflictException").isNotNull();
        assertThat(conflict.aggregateId()).isEqualTo("order-1");
        assertThat(conflict.expectedVersion()).isEqualTo(1);
        assertThat(conflict.actualVersion()).isEqualTo(2);
        assertStoredPayloads("order-1", "{\"n\": 1}", "{\"n\": 2}");
    }

    @Test
    @DisplayName("two different first events for a new aggregate: the second is a conflict (expected 0, actual 1)")
    void secondFirstEventConflicts() {
        store.save("order-1", record("order-1", 1, "{\"by\": \"first\"}"));

        ConcurrencyConflictException conflict = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 1, "{\"by\": \"second\"}")));

        assertThat(conflict).isNotNull();
        assertThat(conflict.aggregateId()).isEqualTo("order-1");
        assertThat(conflict.expectedVersion()).isZero();
        assertThat(conflict.actualVersion()).isEqualTo(1);
        assertStoredPayloads("order-1", "{\"by\": \"first\"}");
    }

    @Test
    @DisplayName("re-saving an identical batch (a retry after an ambiguous commit) succeeds and duplicates nothing")
    void identicalResaveIsNoOp() {
        List<Record> first = List.of(record("order-1", 1), record("order-1", 2));
        List<Record> second = List.of(record("order-1", 3), record("order-1", 4));
        store.save("order-1", first);
        store.save("order-1", second);
        List<Record> before = store.readAll(0, EVERYTHING);

        store.save("order-1", second);
        store.save("order-1", first);

        assertThat(versionsOf(store.load("order-1"))).containsExactly(1L, 2L, 3L, 4L);
        assertThat(store.readAll(0, EVERYTHING)).extracting(Record::position)
                .containsExactlyElementsOf(positionsOf(before));
    }

    @Test
    @DisplayName("re-saving stored versions with a different payload is a conflict, and the stored payload stays")
    void resaveWithDifferentPayloadConflicts() {
        store.save("order-1", record("order-1", 1, "{\"n\": 1}"), record("order-1", 2, "{\"n\": 2}"));

        ConcurrencyConflictException conflict = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 1, "{\"n\": 1}"), record("order-1", 2, "{\"n\": 99}")));

        assertThat(conflict).as("re-save with a changed payload must be a ConcurrencyConflictException").isNotNull();
        assertThat(conflict.aggregateId()).isEqualTo("order-1");
        assertThat(conflict.expectedVersion()).isZero();
        assertThat(conflict.actualVersion()).isEqualTo(2);
        assertStoredPayloads("order-1", "{\"n\": 1}", "{\"n\": 2}");
    }

    @Test
    @DisplayName("re-saving a stored version under a different type is a conflict")
    void resaveWithDifferentTypeConflicts() {
        store.save("order-1", Record.of(STREAM, "order-1", 1, "OrderPlaced", BASE_TIME, json("{\"n\": 1}")));

        assertThatThrownBy(() -> store.save("order-1",
                Record.of(STREAM, "order-1", 1, "OrderCancelled", BASE_TIME, json("{\"n\": 1}"))))
                .isInstanceOf(ConcurrencyConflictException.class);
        assertThat(store.load("order-1")).extracting(Record::type).containsExactly("OrderPlaced");
    }

    @Test
    @DisplayName("a batch that skips versions is a conflict and stores nothing")
    void gapInVersionsIsRejected() {
        saveVersions("order-1", 1, 1);

        ConcurrencyConflictException conflict = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 3), record("order-1", 4)));
        assertThat(conflict).as("save of version 3 onto version 1 must be a ConcurrencyConflictException").isNotNull();
        assertThat(conflict.expectedVersion()).isEqualTo(2);
        assertThat(conflict.actualVersion()).isEqualTo(1);
        assertThat(versionsOf(store.load("order-1"))).containsExactly(1L);

        ConcurrencyConflictException onNew = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-2", record("order-2", 2)));
        assertThat(onNew).as("a new aggregate starting at version 2 must be a ConcurrencyConflictException").isNotNull();
        assertThat(onNew.expectedVersion()).isEqualTo(1);
        assertThat(onNew.actualVersion()).isZero();
        assertThatThrownBy(() -> store.load("order-2")).isInstanceOf(AggregateNotFoundException.class);
        assertThat(store.readAll(0, EVERYTHING)).hasSize(1);
    }

    @Test
    @DisplayName("a batch whose versions are not consecutive is rejected with nothing stored")
    void nonConsecutiveBatchIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-1", record("order-1", 1), record("order-1", 3)))
                .withMessageContaining("consecutive");
        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);

        saveVersions("order-2", 1, 1);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-2", record("order-2", 2), record("order-2", 2)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-2", record("order-2", 3), record("order-2", 2)));
        assertThat(versionsOf(store.load("order-2"))).containsExactly(1L);
        assertThat(store.readAll(0, EVERYTHING)).hasSize(1);
    }

    @Test
    @DisplayName("a batch that conflicts part-way (versions 3..5 when 4 exists) stores none of its records")
    void conflictingBatchLeavesNothingBehind() {
        saveVersions("order-1", 1, 4);

        ConcurrencyConflictException conflict = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 3, "{\"new\": 3}"), record("order-1", 4, "{\"new\": 4}"),
                        record("order-1", 5, "{\"new\": 5}")));

        assertThat(conflict).as("versions 3..5 onto 1..4 must be a ConcurrencyConflictException").isNotNull();
        assertThat(conflict.expectedVersion()).isEqualTo(2);
        assertThat(conflict.actualVersion()).isEqualTo(4);
        assertStoredPayloads("order-1", "{\"n\": 1}", "{\"n\": 2}", "{\"n\": 3}", "{\"n\": 4}");
        assertThat(store.readAll(0, EVERYTHING)).hasSize(4);
    }

    @Test
    @DisplayName("a batch with a null record is rejected with nothing stored")
    void nullRecordIsRejected() {
        List<Record> withNull = Arrays.asList(record("order-1", 1), null);

        assertThatIllegalArgumentException().isThrownBy(() -> store.save("order-1", withNull));
        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
    }

    // ---- concurrency --------------------------------------------------------------------------------------

    @Test
    @DisplayName("8 writers appending to one aggregate (retrying on conflict) store every event once, versions 1..N")
    void concurrentWritersOnOneAggregate() throws Exception {
        String id = "hot-aggregate";
        runConcurrently(writer -> () -> {
            long known = 0;
            for (int n = 0; n < APPENDS_PER_WRITER; ) {
                try {
                    History newer = store.load(id, known + 1, 0);
                    if (!newer.isEmpty()) {
                        known = newer.version();
                    }
                } catch (AggregateNotFoundException notYet) {
                    known = 0;
                }
                try {
                    store.save(id, record(id, known + 1, "{\"writer\": " + writer + ", \"n\": " + n + "}"));
                    known++;
                    n++;
                } catch (ConcurrencyConflictException lost) {
                    // another writer took this version: reload and try the next one
                }
            }
            return null;
        });

        History history = store.load(id);
        int expected = WRITERS * APPENDS_PER_WRITER;
        assertThat(versionsOf(history)).containsExactlyElementsOf(LongStream.rangeClosed(1, expected).boxed().toList());
        Set<String> appends = new HashSet<>();
        for (Record record : history) {
            JsonNode payload = JSON.readTree(record.data());
            String append = payload.get("writer").asInt() + "/" + payload.get("n").asInt();
            assertThat(appends.add(append)).as("append %s is stored twice", append).isTrue();
        }
        assertThat(appends).hasSize(expected);
        assertThat(store.readAll(0, EVERYTHING)).hasSize(expected);
    }

    @Test
    @DisplayName("8 writers saving batches to many aggregates in parallel lose nothing and mix nothing up")
    void concurrentWritersOnManyAggregates() throws Exception {
        runConcurrently(writer -> () -> {
            for (int a = 0; a < AGGREGATES_PER_WRITER; a++) {
                String id = "writer-" + writer + "-aggregate-" + a;
                store.save(id, record(id, 1, payloadFor(id, 1)), record(id, 2, payloadFor(id, 2)));
                store.save(id, record(id, 3, payloadFor(id, 3)));
            }
            return null;
        });

        for (int writer = 0; writer < WRITERS; writer++) {
            for (int a = 0; a < AGGREGATES_PER_WRITER; a++) {
                String id = "writer-" + writer + "-aggregate-" + a;
                assertStoredPayloads(id, payloadFor(id, 1), payloadFor(id, 2), payloadFor(id, 3));
            }
        }
        List<Record> stream = store.readAll(0, EVERYTHING);
        assertThat(stream).hasSize(WRITERS * AGGREGATES_PER_WRITER * 3);
        assertStrictlyIncreasingPositions(stream);
    }

    // ---- global stream ------------------------------------------------------------------------------------

    @Test
    @DisplayName("the global stream holds every record once, in strictly increasing positions, in save order")
    void globalPositionsStrictlyIncrease() {
        saveVersions("order-1", 1, 2);
        saveVersions("order-2", 1, 1);
        saveVersions("order-1", 3, 3);

        List<Record> stream = store.readAll(0, EVERYTHING);

        assertThat(stream).extracting(r -> r.aggregateId() + "@" + r.version())
                .containsExactly("order-1@1", "order-1@2", "order-2@1", "order-1@3");
        assertStrictlyIncreasingPositions(stream);
        assertThat(stream).extracting(Record::type).containsOnly(TYPE);
        assertSamePayload(json("{\"n\": 3}"), stream.get(3).data());
    }

    @Test
    @DisplayName("readAll(after, limit) returns exactly the records after the position, in order, at most limit")
    void readAllAfterPositionHonoursLimit() {
        saveVersions("order-1", 1, 3);
        saveVersions("order-2", 1, 3);
        saveVersions("order-3", 1, 2);
        List<Record> all = store.readAll(0, EVERYTHING);
        assertThat(all).hasSize(8);
        long afterThird = all.get(2).position();

        assertThat(keysOf(store.readAll(afterThird, EVERYTHING))).containsExactlyElementsOf(keysOf(all.subList(3, 8)));
        assertThat(keysOf(store.readAll(afterThird, 2))).containsExactlyElementsOf(keysOf(all.subList(3, 5)));
        assertThat(keysOf(store.readAll(0, 1))).containsExactlyElementsOf(keysOf(all.subList(0, 1)));
        assertThat(store.readAll(all.get(7).position(), EVERYTHING)).isEmpty();

        List<Record> paged = new ArrayList<>();
        long position = 0;
        for (List<Record> page = store.readAll(position, 3); !page.isEmpty(); page = store.readAll(position, 3)) {
            assertThat(page).hasSizeLessThanOrEqualTo(3);
            paged.addAll(page);
            position = page.get(page.size() - 1).position();
        }
        assertThat(keysOf(paged)).containsExactlyElementsOf(keysOf(all));
    }

    @Test
    @DisplayName("loaded records carry the same positive position the global stream shows")
    void loadedRecordsCarryPositions() {
        saveVersions("order-1", 1, 2);
        saveVersions("order-2", 1, 2);

        Map<String, Long> streamPositions = store.readAll(0, EVERYTHING).stream()
                .collect(Collectors.toMap(r -> r.aggregateId() + "@" + r.version(), Record::position));
        List<Record> loaded = new ArrayList<>(store.load("order-1"));
        loaded.addAll(store.load("order-2", 2, 2));

        for (Record record : loaded) {
            assertThat(record.position()).as("position of %s@%d", record.aggregateId(), record.version())
                    .isPositive()
                    .isEqualTo(streamPositions.get(record.aggregateId() + "@" + record.version()));
        }
    }

    @Test
    @DisplayName("readAll rejects a negative position and a limit below 1")
    void readAllChecksArguments() {
        assertThatIllegalArgumentException().isThrownBy(() -> store.readAll(-1, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> store.readAll(0, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> store.readAll(0, -5));
    }

    // ---- typed streams -----------------------------------------------------------------------------------

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
    @DisplayName("appending to an id stored under another aggregate type is not-found for that type, nothing stored")
    void anIdBelongsToOneAggregateType() {
        saveVersions("order-1", 1, 2);

        AggregateNotFoundException notFound = catchThrowableOfType(AggregateNotFoundException.class,
                () -> store.save("order-1", Record.of("Customer", "order-1", 3, TYPE, BASE_TIME, json("{\"n\": 3}"))));

        assertThat(notFound).as("an append of another aggregate type must be refused as not found").isNotNull();
        assertThat(notFound.aggregateType()).isEqualTo("Customer");
        assertThat(notFound.aggregateId()).isEqualTo("order-1");
        assertThat(notFound.storedType()).isEqualTo(STREAM);
        assertThat(store.load("order-1")).hasSize(2).extracting(Record::aggregateType).containsOnly(STREAM);
        assertThat(store.readAll(0, EVERYTHING)).hasSize(2);
    }

    @Test
    @DisplayName("a record without an aggregate type, or a batch of two types, is refused and nothing stored")
    void recordsNeedOneAggregateType() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-1", Record.of("order-1", 1, TYPE, BASE_TIME, json("{}"))))
                .withMessageContaining("aggregate type");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-1", record("order-1", 1),
                        Record.of("Customer", "order-1", 2, TYPE, BASE_TIME, json("{}"))))
                .withMessageContaining("two aggregate types");
        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
    }

    // ---- identifiers and bad input ------------------------------------------------------------------------

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

    @Test
    @DisplayName("a record of another aggregate in the batch is rejected, and neither aggregate gets anything")
    void recordsOfAnotherAggregateAreRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-1", record("order-1", 1), record("order-2", 2)))
                .withMessageContaining("order-2");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-1", record("order-2", 1)));

        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
        assertThatThrownBy(() -> store.load("order-2")).isInstanceOf(AggregateNotFoundException.class);
        assertThat(store.readAll(0, EVERYTHING)).isEmpty();
    }

    @Test
    @DisplayName("a null or blank aggregate id is rejected by save and load")
    void blankIdsAreRejected() {
        for (String blank : Arrays.asList(null, "", "   ")) {
            assertThatIllegalArgumentException().as("save with id %s", blank)
                    .isThrownBy(() -> store.save(blank, List.of()));
            assertThatIllegalArgumentException().as("load with id %s", blank)
                    .isThrownBy(() -> store.load(blank));
            assertThatIllegalArgumentException().as("range load with id %s", blank)
                    .isThrownBy(() -> store.load(blank, 1, 2));
        }
        assertThat(store.readAll(0, EVERYTHING)).isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static byte[] json(String text) {
        return text.getBytes(UTF_8);
    }

    private static Record record(String aggregateId, long version) {
        return record(aggregateId, version, "{\"n\": " + version + "}");
    }

    private static Record record(String aggregateId, long version, String payload) {
        return Record.of(STREAM, aggregateId, version, TYPE, BASE_TIME.plusSeconds(version), json(payload));
    }

    private static String payloadFor(String aggregateId, long version) {
        return JSON.createObjectNode().put("aggregate", aggregateId).put("n", version).toString();
    }

    /** Saves versions {@code from..to} of an aggregate as one batch, with payload {"n": version}. */
    private void saveVersions(String aggregateId, long from, long to) {
        List<Record> batch = new ArrayList<>();
        for (long version = from; version <= to; version++) {
            batch.add(record(aggregateId, version));
        }
        store.save(aggregateId, batch);
    }

    private void assertStoredPayloads(String aggregateId, String... payloads) {
        History history = store.load(aggregateId);
        assertThat(versionsOf(history)).as("versions of %s", aggregateId)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, payloads.length).boxed().toList());
        for (int i = 0; i < payloads.length; i++) {
            assertSamePayload(json(payloads[i]), history.get(i).data());
        }
    }

    private static List<Long> versionsOf(List<Record> records) {
        return records.stream().map(Record::version).toList();
    }

    private static List<Long> positionsOf(List<Record> records) {
        return records.stream().map(Record::position).toList();
    }

    private static List<String> keysOf(List<Record> records) {
        return records.stream().map(r -> r.aggregateId() + "@" + r.version() + "#" + r.position()).toList();
    }

    private static void assertStrictlyIncreasingPositions(List<Record> stream) {
        for (int i = 0; i < stream.size(); i++) {
            assertThat(stream.get(i).position()).as("position of record %d of the stream", i).isPositive();
            if (i > 0) {
                assertThat(stream.get(i).position()).as("position of record %d of the stream", i)
                        .isGreaterThan(stream.get(i - 1).position());
            }
        }
    }

    /** A writer's job, given its number. */
    @FunctionalInterface
    private interface WriterJob {
        Callable<Void> forWriter(int writer);
    }

    /** Starts all writers at once and rethrows the first failure; the guard only stops a deadlocked store. */
    private static void runConcurrently(WriterJob job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> results = new ArrayList<>();
            for (int writer = 0; writer < WRITERS; writer++) {
                Callable<Void> work = job.forWriter(writer);
                results.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            for (Future<Void> result : results) {
                result.get(THREAD_GUARD_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
