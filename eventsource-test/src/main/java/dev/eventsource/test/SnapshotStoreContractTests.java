package dev.eventsource.test;

import dev.eventsource.Snapshot;
import dev.eventsource.SnapshotStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules every {@link SnapshotStore} must keep, as JUnit 5 tests: extend this class and return a fresh, empty
 * snapshot store from {@link #newSnapshotStore()}.
 *
 * <pre>{@code
 * class MySnapshotStoreTests extends SnapshotStoreContractTests {
 *     @Override
 *     protected SnapshotStore newSnapshotStore() {
 *         return new MySnapshotStore(emptyTable());
 *     }
 * }
 * }</pre>
 *
 * <p>Checked: every part of a snapshot round trips (the data byte for byte, JSON or binary; times at microsecond
 * precision, the finest databases keep); one snapshot per aggregate, keyed by aggregate type and id exactly (case,
 * trailing spaces, Unicode normalisation and characters beyond U+FFFF all count); a newer snapshot replaces the
 * older one, an older or equal one is refused, also when many threads save at once; {@code deleteAll} removes one
 * type's snapshots and counts them.
 */
public abstract class SnapshotStoreContractTests {

    private static final Instant TAKEN = Instant.parse("2025-06-07T08:09:10.123456Z");
    private static final String TYPE = "Account";
    private static final String FINGERPRINT = "0123456789abcdef";
    private static final long THREAD_GUARD_SECONDS = 60;

    /** The snapshot store under test: a new one for each test, from {@link #newSnapshotStore()}. */
    protected SnapshotStore snapshots;

    /**
     * Creates the snapshot store a test runs against; called once per test.
     *
     * @return a snapshot store holding no snapshots at all
     */
    protected abstract SnapshotStore newSnapshotStore();

    @BeforeEach
    final void createSnapshotStore() {
        snapshots = newSnapshotStore();
        assertThat(snapshots).as("newSnapshotStore() must return a snapshot store").isNotNull();
    }

    private static Snapshot snapshot(String type, String id, long version, String data) {
        return new Snapshot(type, id, version, FINGERPRINT, 1, TAKEN.plusSeconds(version), data.getBytes(UTF_8));
    }

    private static Snapshot snapshot(String id, long version) {
        return snapshot(TYPE, id, version, "{\"version\":" + version + "}");
    }

    @Test
    @DisplayName("an aggregate without a snapshot loads as null")
    void missingSnapshotIsNull() {
        assertThat(snapshots.load(TYPE, "a-1")).isNull();
        snapshots.save(snapshot("a-1", 3));
        assertThat(snapshots.load(TYPE, "a-2")).isNull();
        assertThat(snapshots.load("Ledger", "a-1")).as("the same id under another aggregate type").isNull();
    }

    @Test
    @DisplayName("a saved snapshot loads with every part equal: type, id, version, fingerprint, revision, time, data")
    void roundTripsEveryPart() {
        String json = "{\"owner\":\"Zoë 😀\",\"cents\":1234,\"notes\":[\"a\",\"ü\"],\"nested\":{\"k\":null}}";
        Snapshot saved = new Snapshot(TYPE, "a-1", 42, "fedcba9876543210", 7,
                Instant.parse("2025-01-02T03:04:05.678901Z"), json.getBytes(UTF_8));

        assertThat(snapshots.save(saved)).as("first snapshot of the aggregate stored").isTrue();

        Snapshot loaded = snapshots.load(TYPE, "a-1");
        assertThat(loaded).isEqualTo(saved);
        assertThat(new String(loaded.data(), UTF_8)).as("JSON data byte for byte").isEqualTo(json);
    }

    @Test
    @DisplayName("binary data (any bytes, not UTF-8, empty, or 256 KiB) loads byte for byte")
    void roundTripsBinaryData() {
        byte[] bytes = {(byte) 0xBF, 0, (byte) 0xFF, (byte) 0xA1, 0x7B, (byte) 0x80, (byte) 0xC3};
        byte[] large = new byte[256 * 1024];
        new Random(15).nextBytes(large);

        snapshots.save(new Snapshot(TYPE, "bin", 1, FINGERPRINT, 1, TAKEN, bytes));
        snapshots.save(new Snapshot(TYPE, "empty", 1, FINGERPRINT, 1, TAKEN, new byte[0]));
        snapshots.save(new Snapshot(TYPE, "large", 1, FINGERPRINT, 1, TAKEN, large));

        assertThat(snapshots.load(TYPE, "bin").data()).containsExactly(bytes);
        assertThat(snapshots.load(TYPE, "empty").data()).isEmpty();
        assertThat(snapshots.load(TYPE, "large").data()).isEqualTo(large);
    }

    @Test
    @DisplayName("the store keeps the bytes given at save: changing the array afterwards changes nothing stored")
    void keepsACopyOfTheData() {
        byte[] data = "{\"cents\":1}".getBytes(UTF_8);
        snapshots.save(new Snapshot(TYPE, "a-1", 1, FINGERPRINT, 1, TAKEN, data));
        data[9] = '9';
        byte[] loaded = snapshots.load(TYPE, "a-1").data();
        assertThat(new String(loaded, UTF_8)).isEqualTo("{\"cents\":1}");
        loaded[9] = '8';
        assertThat(new String(snapshots.load(TYPE, "a-1").data(), UTF_8)).isEqualTo("{\"cents\":1}");
    }

    @Test
    @DisplayName("ids and types are matched exactly: case, trailing spaces, Unicode forms and emoji are distinct keys")
    void keysAreExact() {
        List<String> ids = List.of("a", "A", "a ", "\u00e9", "e\u0301", "Ω-1", "😀", "😀😀", "x".repeat(255));
        for (int i = 0; i < ids.size(); i++) {
            assertThat(snapshots.save(snapshot(TYPE, ids.get(i), i + 1, "{\"i\":" + i + "}")))
                    .as("save of id '%s'", ids.get(i)).isTrue();
        }
        snapshots.save(snapshot("Account ", "a", 50, "{\"type\":\"trailing space\"}"));
        snapshots.save(snapshot("account", "a", 60, "{\"type\":\"lower case\"}"));

        for (int i = 0; i < ids.size(); i++) {
            Snapshot loaded = snapshots.load(TYPE, ids.get(i));
            assertThat(loaded).as("snapshot of id '%s'", ids.get(i)).isNotNull();
            assertThat(loaded.aggregateId()).isEqualTo(ids.get(i));
            assertThat(loaded.version()).isEqualTo(i + 1);
            assertThat(new String(loaded.data(), UTF_8)).isEqualTo("{\"i\":" + i + "}");
        }
        assertThat(snapshots.load("Account ", "a").version()).isEqualTo(50);
        assertThat(snapshots.load("account", "a").version()).isEqualTo(60);
    }

    @Test
    @DisplayName("a newer snapshot replaces every part of the older one")
    void newerReplacesOlder() {
        snapshots.save(snapshot("a-1", 5));
        Snapshot newer = new Snapshot(TYPE, "a-1", 9, "aaaaaaaaaaaaaaaa", 3, TAKEN.plusSeconds(3600),
                "{\"version\":9,\"more\":true}".getBytes(UTF_8));

        assertThat(snapshots.save(newer)).isTrue();

        assertThat(snapshots.load(TYPE, "a-1")).isEqualTo(newer);
    }

    @Test
    @DisplayName("an older snapshot, or another one of the same version, is not stored and changes nothing")
    void neverMovesBack() {
        Snapshot stored = snapshot("a-1", 9);
        snapshots.save(stored);

        assertThat(snapshots.save(snapshot("a-1", 5))).as("older").isFalse();
        assertThat(snapshots.save(snapshot(TYPE, "a-1", 9, "{\"other\":true}"))).as("same version").isFalse();
        assertThat(snapshots.save(new Snapshot(TYPE, "a-1", 1, "ffffffffffffffff", 99, Instant.now(), new byte[1])))
                .as("older, of another shape and revision").isFalse();

        assertThat(snapshots.load(TYPE, "a-1")).isEqualTo(stored);
    }

    @Test
    @DisplayName("a snapshot of the same version but another shape or revision replaces the stored one")
    void sameVersionOfAnotherShapeOrRevisionReplaces() {
        snapshots.save(snapshot("a-1", 9));
        Snapshot reshaped = new Snapshot(TYPE, "a-1", 9, "bbbbbbbbbbbbbbbb", 1, TAKEN, "{\"shape\":2}".getBytes(UTF_8));
        assertThat(snapshots.save(reshaped)).as("another fingerprint").isTrue();
        assertThat(snapshots.load(TYPE, "a-1")).isEqualTo(reshaped);

        Snapshot revised = new Snapshot(TYPE, "a-1", 9, "bbbbbbbbbbbbbbbb", 2, TAKEN, "{\"revision\":2}".getBytes(UTF_8));
        assertThat(snapshots.save(revised)).as("another revision").isTrue();
        assertThat(snapshots.load(TYPE, "a-1")).isEqualTo(revised);
        assertThat(snapshots.save(revised)).as("the same again").isFalse();
    }

    @Test
    @DisplayName("deleteAll removes the snapshots of one type, counts them, and leaves other types alone")
    void deleteAllRemovesOneType() {
        for (int i = 1; i <= 3; i++) {
            snapshots.save(snapshot(TYPE, "a-" + i, i, "{}"));
        }
        snapshots.save(snapshot("Ledger", "a-1", 4, "{}"));

        assertThat(snapshots.deleteAll(TYPE)).isEqualTo(3);

        assertThat(snapshots.load(TYPE, "a-1")).isNull();
        assertThat(snapshots.load(TYPE, "a-3")).isNull();
        assertThat(snapshots.load("Ledger", "a-1").version()).isEqualTo(4);
        assertThat(snapshots.deleteAll(TYPE)).as("nothing left to delete").isZero();
        assertThat(snapshots.deleteAll("Unknown")).isZero();
        assertThat(snapshots.save(snapshot(TYPE, "a-3", 1, "{\"rebuilt\":true}")))
                .as("after deleteAll a lower version is stored again").isTrue();
        assertThat(snapshots.load(TYPE, "a-3").version()).isEqualTo(1);
    }

    @Test
    @DisplayName("8 threads saving the same version of an aggregate at once: exactly one stores, and its data is kept")
    void racingSavesOfOneVersionStoreOnce() throws Exception {
        for (int round = 0; round < 10; round++) {
            String id = "race-" + round;
            if (round % 2 == 1) {
                snapshots.save(snapshot(id, 1)); // odd rounds race to replace a row; even rounds to insert the first
            }
            List<Boolean> stored = runAtOnce(8, thread -> () ->
                    snapshots.save(snapshot(TYPE, id, 7, "{\"thread\":" + thread + "}")));

            assertThat(stored).as("round %d: which saves stored", round).containsOnlyOnce(true);
            int winner = stored.indexOf(true);
            Snapshot loaded = snapshots.load(TYPE, id);
            assertThat(loaded.version()).isEqualTo(7);
            assertThat(new String(loaded.data(), UTF_8)).isEqualTo("{\"thread\":" + winner + "}");
        }
    }

    @Test
    @DisplayName("threads saving versions 1..100 in random orders while others read: the loaded version never goes"
            + " down, every stored save was newer, and version 100 ends stored")
    void racingSavesNeverMoveBack() throws Exception {
        String id = "hot";
        AtomicBoolean saving = new AtomicBoolean(true);
        ExecutorService readers = Executors.newFixedThreadPool(2);
        List<Future<Long>> reads = new ArrayList<>();
        try {
            for (int r = 0; r < 2; r++) {
                reads.add(readers.submit(() -> {
                    long last = 0;
                    long loads = 0;
                    do {
                        Snapshot loaded = snapshots.load(TYPE, id);
                        long version = loaded == null ? 0 : loaded.version();
                        assertThat(version).as("a load after one of version %d", last).isGreaterThanOrEqualTo(last);
                        if (loaded != null) {
                            assertThat(new String(loaded.data(), UTF_8)).isEqualTo("{\"version\":" + version + "}");
                        }
                        last = version;
                        loads++;
                    } while (saving.get());
                    return loads;
                }));
            }
            List<List<Long>> storedByThread = runAtOnce(6, thread -> () -> {
                List<Long> versions = new ArrayList<>();
                for (long v = 1; v <= 100; v++) {
                    versions.add(v);
                }
                Collections.shuffle(versions, new Random(thread));
                List<Long> stored = new ArrayList<>();
                for (long version : versions) {
                    if (snapshots.save(snapshot(id, version))) {
                        stored.add(version);
                    }
                }
                return stored;
            });
            saving.set(false);
            for (Future<Long> read : reads) {
                assertThat(read.get(THREAD_GUARD_SECONDS, TimeUnit.SECONDS)).isPositive();
            }
            List<Long> all = storedByThread.stream().flatMap(List::stream).toList();
            assertThat(all).as("version 100 is stored by exactly one save").containsOnlyOnce(100L);
            assertThat(all).as("no version is stored twice").doesNotHaveDuplicates();
            for (List<Long> stored : storedByThread) {
                assertThat(stored).as("the versions one thread stored, in its order, go up").isSorted();
            }
        } finally {
            saving.set(false);
            readers.shutdownNow();
        }
        assertThat(snapshots.load(TYPE, id)).isEqualTo(snapshot(id, 100));
    }

    private interface Job<T> {
        Callable<T> forThread(int thread);
    }

    /** Runs one job per thread, all released at once, and returns their results in thread order. */
    private static <T> List<T> runAtOnce(int threads, Job<T> job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                Callable<T> work = job.forThread(thread);
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(THREAD_GUARD_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
