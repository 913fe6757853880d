package dev.eventsource.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.StoredEvent;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryCheckpointStore;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.store.memory.TransactionContext;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static dev.eventsource.store.jdbc.SubscriptionTestBase.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Never skip an event, whatever the interleaving of appending transactions and readers (issue 11). Most tests hold a
 * transaction open by hand and drive the other sessions around it, so the interleaving is the same on every run;
 * the others run writers and readers at once:
 * <ul>
 *   <li>the global stream read page by page from a checkpoint ({@link Store#readAll}, {@link Store#lastPosition})
 *       while an appending transaction is open, after it commits or rolls back, with batches (up to 10,001 events),
 *       and by readers that start at different checkpoints;</li>
 *   <li>readers reading all the time while writers append, also on connections whose default isolation is
 *       REPEATABLE READ;</li>
 *   <li>subscriptions while a transaction appends for a long time, while a session idles in a transaction that
 *       appended nothing or that appended, and two subscriptions of different speeds.</li>
 * </ul>
 * The never-skip assertions are the same on every store: across all reads every committed event exactly once,
 * positions strictly increasing, no event ever below a position a reader was already given, and a re-read from
 * the start equal to what the readers collected. What differs per store is only
 * {@link #appendsToOtherAggregatesWait()}: whether an append to another aggregate must wait until the open
 * transaction ends (a store that serialises every append) or completes at once (PostgreSQL, which numbers
 * committed rows after their commit). {@link NeverSkipTests} runs it on the memory store and on each database.
 */
abstract class NeverSkipTestBase {

    static final Duration WAIT = Duration.ofSeconds(60);
    /** How long a waiting append is watched to be still waiting; a bound on nothing's speed. */
    private static final long STILL_WAITING_MILLIS = 300;

    /** A store under test, the checkpoint store next to it, and transactions a test holds open. */
    interface Backend {
        /** @return the store, each call on its own (autocommit) */
        Store store();

        CheckpointStore checkpoints();

        /**
         * @return a store on the same events whose connections' default isolation is REPEATABLE READ (a server or
         *     pool configured so); the memory store has no isolation levels and returns its one store
         */
        Store storeAtRepeatableRead();

        /** @return a new transaction on its own connection, held open until the test ends it */
        OpenTransaction begin() throws SQLException;

        void close();
    }

    /**
     * A transaction held open by the test: appends to the events table, reads it, or writes a row somewhere else,
     * and stays open, idle, until {@link #commit} or {@link #rollback}.
     */
    interface OpenTransaction extends AutoCloseable {
        void append(String aggregateId, List<Record> records);

        /** Loads an aggregate inside the transaction, a read of the events table. */
        void load(String aggregateId);

        /**
         * Writes a row to a table other than the events table (so that on PostgreSQL the transaction holds a
         * transaction id); the memory store has no other table and does nothing.
         */
        void writeElsewhere(String key) throws SQLException;

        void commit() throws SQLException;

        void rollback() throws SQLException;

        /** Rolls back unless the transaction ended, and gives its connection back. */
        @Override
        void close() throws SQLException;
    }

    record Noted(String aggregateId, long version, Instant at) implements Event {
    }

    final Serializer serializer = JacksonSerializer.json().bind(Noted.class);
    Backend backend;
    Store store;
    private final List<OpenTransaction> opened = new ArrayList<>();
    private final List<Subscription> started = new ArrayList<>();
    ExecutorService others;

    abstract Backend newBackend();

    /**
     * Whether an append to one aggregate waits while another session's transaction that appended to a different
     * aggregate is open: true where every append takes one lock per events table until its transaction ends;
     * false on PostgreSQL, where appends lock only their aggregate and committed rows are numbered after commit.
     */
    abstract boolean appendsToOtherAggregatesWait();

    @BeforeEach
    void createBackend() {
        backend = newBackend();
        store = backend.store();
        others = Executors.newCachedThreadPool();
    }

    @AfterEach
    void endEverything() throws Exception {
        // Open transactions first: an append still waiting for one of them must be let through before its table
        // is dropped.
        for (OpenTransaction transaction : opened) {
            transaction.close();
        }
        for (Subscription subscription : started) {
            subscription.stop(Duration.ofSeconds(10));
        }
        if (others != null) {
            others.shutdownNow();
            others.awaitTermination(30, TimeUnit.SECONDS);
        }
        if (backend != null) {
            backend.close();
        }
    }

    // ---- the global stream around one open transaction ---------------------------------------------------------

    @Test
    @DisplayName("T1 appends and stays open, T2 appends to another aggregate, readers read, T1 commits: every event"
            + " once, in order, none below a position already read")
    void anOpenAppendCommitsAfterAnotherAggregatesAppend() throws Exception {
        interleave(List.of(new Append("a", 1)), true, false);
    }

    @Test
    @DisplayName("T1 appends and stays open, T2 appends to another aggregate, readers read, T1 rolls back: T2's"
            + " events once, nothing of T1")
    void anOpenAppendRollsBack() throws Exception {
        interleave(List.of(new Append("a", 1)), false, false);
    }

    @Test
    @DisplayName("T1 appends a batch of 3 and then 2 events to another aggregate and stays open: after its commit"
            + " readers get all 5 once, in its append order, above every position read before")
    void anOpenTransactionWithBatches() throws Exception {
        interleave(List.of(new Append("a", 3), new Append("c", 2)), true, false);
    }

    @Test
    @DisplayName("as above with T2 appending in a transaction of its own rather than on an autocommit connection")
    void anOpenAppendCommitsAfterAnotherTransactionsAppend() throws Exception {
        interleave(List.of(new Append("a", 2)), true, true);
    }

    @Test
    @DisplayName("an append to the SAME aggregate as an open append waits on every store, and then conflicts")
    void anAppendToTheSameAggregateWaitsAndThenConflicts() throws Exception {
        OpenTransaction t1 = begin();
        t1.append("a", records("a", 1, 1));
        // Another payload than T1's a@1, so that it is a conflict and not an identical re-save.
        Record other = serializer.marshal(new Noted("a", 1, Instant.EPOCH)).withAggregateType("Thing");
        Future<Boolean> t2 = others.submit(() -> store.save("a", other));

        assertStillWaiting(t2, "an append of a@1 while another transaction's a@1 is uncommitted");
        t1.commit();

        assertThatThrownBy(() -> t2.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(ConcurrencyConflictException.class);
        assertThat(keys(store.readAll(0, 10))).containsExactly("a@1");
    }

    @Test
    @DisplayName("an append to the SAME aggregate as an open append that then rolls back waits, and then is stored")
    void anAppendToTheSameAggregateWaitsAndThenSucceeds() throws Exception {
        OpenTransaction t1 = begin();
        t1.append("a", records("a", 1, 2));
        Future<Boolean> t2 = others.submit(() -> store.save("a", records("a", 1, 1)));

        assertStillWaiting(t2, "an append of a@1 while another transaction's a@1 is uncommitted");
        t1.rollback();

        assertThat(t2.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        List<Record> stream = store.readAll(0, 10);
        assertThat(keys(stream)).containsExactly("a@1");
        assertThat(store.lastPosition()).isEqualTo(stream.get(0).position());
    }

    /** One append inside T1: {@code events} events to an aggregate, from version 1. */
    record Append(String aggregateId, int events) {
    }

    /**
     * The interleaving of the issue, read by three readers: one that reads one event per page at every step, one
     * that reads only at the end, and one that starts at {@code lastPosition()} taken while T1 is open (as a
     * subscription that starts from the end does). T2 appends on an autocommit connection, or in a transaction of
     * its own.
     */
    private void interleave(List<Append> t1Appends, boolean t1Commits, boolean t2InTransaction) throws Exception {
        append("before", 2);
        Reader stepping = new Reader("the reader at every step", 1, 0);
        Reader late = new Reader("the reader at the end", 100, 0);
        assertThat(keys(stepping.read())).containsExactly("before@1", "before@2");
        assertThat(store.lastPosition()).isEqualTo(stepping.checkpoint);

        OpenTransaction t1 = begin();
        List<String> t1Keys = new ArrayList<>();
        for (Append append : t1Appends) {
            List<Record> records = records(append.aggregateId(), 1, append.events());
            t1.append(append.aggregateId(), records);
            records.forEach(record -> t1Keys.add(key(record)));
        }
        Future<?> t2 = others.submit(() -> {
            if (!t2InTransaction) {
                append("b", 2);
                return null;
            }
            try (OpenTransaction transaction = backend.begin()) {
                transaction.append("b", records("b", 1, 2));
                transaction.commit();
            }
            return null;
        });
        List<String> t2Keys = List.of("b@1", "b@2");
        if (appendsToOtherAggregatesWait()) {
            assertStillWaiting(t2, "T2's append to aggregate b while T1's append is uncommitted");
        } else {
            t2.get(WAIT.toSeconds(), TimeUnit.SECONDS); // must complete while T1 is open
        }

        List<String> committedWhileOpen = t2.isDone() ? t2Keys : List.of();
        assertThat(keys(stepping.read())).as("read while T1 is open: exactly the events committed since the last read")
                .containsExactlyElementsOf(committedWhileOpen);
        long headWhileOpen = store.lastPosition();
        assertThat(headWhileOpen).as("lastPosition() while T1 is open: the position of the last committed event")
                .isEqualTo(stepping.checkpoint);
        Reader fromHead = new Reader("the reader from lastPosition()", 100, headWhileOpen);
        assertThat(fromHead.read()).as("nothing after lastPosition() while T1 is open").isEmpty();

        if (t1Commits) {
            t1.commit();
        } else {
            t1.rollback();
        }
        t2.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        List<String> expectedNew = new ArrayList<>();
        if (t1Commits) {
            expectedNew.addAll(t1Keys); // T1 commits before T2 where T2 waited, and after it otherwise
        }
        if (!committedWhileOpen.equals(t2Keys)) {
            expectedNew.addAll(t2Keys);
        }
        List<Record> afterEnd = stepping.read();
        assertThat(keys(afterEnd)).as("read after T1 ended: T1's events (when committed) and T2's not yet read,"
                + " in commit order").containsExactlyElementsOf(expectedNew);
        assertThat(afterEnd).as("every event read after T1 ended is above lastPosition() taken while it was open")
                .allSatisfy(record -> assertThat(record.position()).isGreaterThan(headWhileOpen));
        assertThat(keys(fromHead.read())).as("the reader that started at lastPosition() while T1 was open")
                .containsExactlyElementsOf(expectedNew);
        assertThat(store.lastPosition()).isEqualTo(stepping.checkpoint);

        List<String> committed = new ArrayList<>(List.of("before@1", "before@2"));
        committed.addAll(t1Commits ? t1Keys : List.of());
        committed.addAll(t2Keys);
        late.read();
        for (Reader reader : List.of(stepping, late)) {
            assertWholeStream(reader.name, reader.seen, Set.copyOf(committed));
        }
    }

    @Test
    @DisplayName("T1 appends 10,001 events and stays open while T2 appends: after T1's commit a reader gets them all"
            + " once, in version order, above what it read before")
    void aLargeOpenTransaction() throws Exception {
        append("before", 1);
        Reader reader = new Reader("the reader", 2500, 0);
        assertThat(keys(reader.read())).containsExactly("before@1");

        OpenTransaction t1 = begin();
        t1.append("big", records("big", 1, 10_001)); // more than one numbering statement on PostgreSQL
        Future<?> t2 = others.submit(() -> append("b", 1));
        if (appendsToOtherAggregatesWait()) {
            assertStillWaiting(t2, "T2's append to aggregate b while T1's append is uncommitted");
        } else {
            t2.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        int readWhileOpen = reader.read().size();
        assertThat(readWhileOpen).as("read while T1 is open: T2's event when it committed")
                .isEqualTo(t2.isDone() ? 1 : 0);
        long headWhileOpen = store.lastPosition();
        t1.commit();
        t2.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        List<Record> afterCommit = reader.read();
        assertThat(afterCommit).hasSize(10_001 + 1 - readWhileOpen)
                .allSatisfy(record -> assertThat(record.position()).isGreaterThan(headWhileOpen));
        Set<String> committed = new HashSet<>(List.of("before@1", "b@1"));
        for (int version = 1; version <= 10_001; version++) {
            committed.add("big@" + version);
        }
        assertWholeStream(reader.name, reader.seen, committed);
    }

    // ---- many readers at once ----------------------------------------------------------------------------------

    @Test
    @DisplayName("3 readers reading all the time while 4 writers append, one in transactions that sometimes roll"
            + " back: no read fails, each reader gets every committed event once, in order")
    void concurrentReadersAndWriters() throws Exception {
        readWhileWriting(store);
    }

    @Test
    @DisplayName("the same on connections whose default isolation is REPEATABLE READ: no read fails, nothing skipped")
    void concurrentReadersAndWritersAtRepeatableRead() throws Exception {
        readWhileWriting(backend.storeAtRepeatableRead());
    }

    /**
     * Readers that read as fast as they can, each from its own checkpoint with its own page size, while writers
     * append: on PostgreSQL every read first numbers what committed since the last read, so numbering passes of
     * several readers meet all the time.
     */
    private void readWhileWriting(Store on) throws Exception {
        Set<String> committed = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<Reader>> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Reader reader = new Reader("reader " + r, 1 + 4 * r, 0, on);
            readers.add(others.submit(() -> {
                while (writing.get()) {
                    reader.read();
                }
                reader.read();
                return reader;
            }));
        }
        List<Future<Void>> writers = new ArrayList<>();
        for (int writer = 0; writer < 4; writer++) {
            int w = writer;
            writers.add(others.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int n = 0; n < 25; n++) {
                    String id = "w" + w + "-" + n;
                    List<Record> records = records(id, 1, 1 + random.nextInt(2));
                    if (w < 3) {
                        on.save(id, records);
                        records.forEach(record -> committed.add(key(record)));
                        continue;
                    }
                    try (OpenTransaction transaction = backend.begin()) {
                        transaction.append(id, records);
                        LockSupport.parkNanos(random.nextLong(2_000_000));
                        if (random.nextInt(4) == 0) {
                            transaction.rollback();
                        } else {
                            transaction.commit();
                            records.forEach(record -> committed.add(key(record)));
                        }
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<Void> writer : writers) {
                writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
        }
        for (Future<Reader> result : readers) {
            Reader reader = result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertWholeStream(reader.name, reader.seen, committed);
        }
    }

    // ---- subscriptions around open transactions ----------------------------------------------------------------

    @Test
    @DisplayName("a transaction appends and stays open 2 s while 3 writers append: afterwards every event delivered"
            + " once, in order; where appends do not wait, the writers' events are delivered before it ends")
    void subscriptionWhileATransactionAppendsForTwoSeconds() throws Exception {
        append("before", 1);
        List<StoredEvent> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = start(builder("long", seen::add).batchSize(5));
        awaitTrue("the first event is delivered", () -> seen.size() == 1);

        OpenTransaction t1 = begin();
        long openedAt = System.nanoTime();
        t1.append("long", records("long", 1, 3));
        List<Future<List<String>>> writers = new ArrayList<>();
        for (int writer = 0; writer < 3; writer++) {
            String id = "w" + writer;
            writers.add(others.submit(() -> {
                List<String> stored = new ArrayList<>();
                for (int n = 0; n < 5; n++) {
                    List<Record> records = records(id, 2 * n + 1, 2);
                    store.save(id, records);
                    records.forEach(record -> stored.add(key(record)));
                }
                return stored;
            }));
        }
        Set<String> written = new HashSet<>();
        if (!appendsToOtherAggregatesWait()) {
            for (Future<List<String>> writer : writers) {
                written.addAll(writer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            awaitTrue("the writers' 30 events are delivered while the transaction is open",
                    () -> keys(seen).containsAll(written));
        }
        LockSupport.parkNanos(Duration.ofSeconds(2).toNanos() - (System.nanoTime() - openedAt));

        assertThat(keys(seen)).as("nothing of the open transaction is delivered").noneMatch(k -> k.startsWith("long@"));
        if (appendsToOtherAggregatesWait()) {
            assertThat(writers).as("the writers wait for the open transaction").noneMatch(Future::isDone);
            assertThat(keys(seen)).containsExactly("before@1");
        } else {
            assertThat(keys(seen)).hasSize(31);
        }
        t1.commit();
        for (Future<List<String>> writer : writers) {
            written.addAll(writer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        awaitCaughtUp(subscription);

        Set<String> committed = new HashSet<>(written);
        committed.addAll(List.of("before@1", "long@1", "long@2", "long@3"));
        assertWholeStream("the subscription", asRecords(seen), committed);
        List<String> order = keys(seen);
        if (appendsToOtherAggregatesWait()) {
            assertThat(order.subList(0, 4)).containsExactly("before@1", "long@1", "long@2", "long@3");
        } else {
            assertThat(order.subList(31, 34)).as("the long transaction's events come after everything committed"
                    + " while it was open").containsExactly("long@1", "long@2", "long@3");
        }
    }

    @Test
    @DisplayName("a session idle in a transaction that read the events and wrote elsewhere, appending nothing, holds"
            + " back neither appends nor the subscription")
    void idleTransactionThatAppendedNothingHoldsNothingBack() throws Exception {
        append("existing", 1);
        OpenTransaction idle = begin();
        idle.load("existing");
        idle.writeElsewhere("idle-1");
        List<StoredEvent> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = start(builder("idle", seen::add).batchSize(4));

        Future<?> appends = others.submit(() -> {
            for (int n = 0; n < 3; n++) {
                append("x" + n, 3);
            }
        });
        appends.get(WAIT.toSeconds(), TimeUnit.SECONDS); // must not wait for the idle transaction
        awaitTrue("all 10 events delivered while the idle transaction is open", () -> seen.size() == 10);
        awaitCaughtUp(subscription);

        idle.commit();
        append("after", 1);
        awaitCaughtUp(subscription);
        assertWholeStream("the subscription", asRecords(seen), Set.of("existing@1", "x0@1", "x0@2", "x0@3", "x1@1",
                "x1@2", "x1@3", "x2@1", "x2@2", "x2@3", "after@1"));
    }

    @Test
    @DisplayName("a session idle in a transaction that appended: its events are delivered after its commit, after"
            + " what came before, and nothing is skipped")
    void idleTransactionThatAppendedIsDeliveredAfterItsCommit() throws Exception {
        append("before", 2);
        AtomicInteger reads = new AtomicInteger();
        List<StoredEvent> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = start(Subscription.builder("late", countingReads(store, reads), serializer,
                seen::add).checkpoints(backend.checkpoints()).pollInterval(Duration.ofMillis(10)));
        awaitTrue("the first 2 events delivered", () -> seen.size() == 2);

        OpenTransaction t1 = begin();
        t1.append("late", records("late", 1, 2));
        int readsBefore = reads.get();
        awaitTrue("the subscription reads the stream 5 more times", () -> reads.get() >= readsBefore + 5);

        assertThat(keys(seen)).as("nothing of the uncommitted transaction").containsExactly("before@1", "before@2");
        assertThat(subscription.position()).isEqualTo(seen.get(1).position());
        t1.commit();
        awaitTrue("the transaction's events are delivered after its commit", () -> seen.size() == 4);
        append("after", 1);
        awaitCaughtUp(subscription);

        assertThat(keys(seen)).containsExactly("before@1", "before@2", "late@1", "late@2", "after@1");
        assertWholeStream("the subscription", asRecords(seen), Set.copyOf(keys(seen)));
    }

    @Test
    @DisplayName("two subscriptions, one with a slow handler, under 4 writers with open, slow and rolled-back"
            + " transactions: both see every committed event once, in the same order")
    void twoSubscriptionsAtDifferentSpeeds() throws Exception {
        List<StoredEvent> fast = new CopyOnWriteArrayList<>();
        List<StoredEvent> slow = new CopyOnWriteArrayList<>();
        Subscription quick = start(builder("fast", fast::add).batchSize(3).pollInterval(Duration.ofMillis(1)));
        Subscription sluggish = start(builder("slow", event -> {
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
            slow.add(event);
        }).batchSize(20).pollInterval(Duration.ofMillis(25)));
        Set<String> committed = ConcurrentHashMap.newKeySet();

        List<Future<Void>> writers = new ArrayList<>();
        for (int writer = 0; writer < 4; writer++) {
            int w = writer;
            writers.add(others.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int n = 0; n < 12; n++) {
                    String id = "w" + w + "-" + n;
                    List<Record> records = records(id, 1, 1 + random.nextInt(3));
                    boolean rollback = random.nextInt(5) == 0;
                    try (OpenTransaction transaction = backend.begin()) {
                        transaction.append(id, records);
                        LockSupport.parkNanos(random.nextLong(3_000_000));
                        if (rollback) {
                            transaction.rollback();
                        } else {
                            transaction.commit();
                            records.forEach(record -> committed.add(key(record)));
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<Void> writer : writers) {
            writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        awaitCaughtUp(quick);
        awaitCaughtUp(sluggish);

        assertWholeStream("the fast subscription", asRecords(fast), committed);
        assertWholeStream("the slow subscription", asRecords(slow), committed);
    }

    // ---- assertions --------------------------------------------------------------------------------------------

    /**
     * Asserts what a reader collected: each committed event exactly once, nothing else, positions strictly
     * increasing, each aggregate's events in version order, and the same events at the same positions as a read
     * of the whole stream from the start now (an event committed late with a position below one already read
     * would be in the re-read but not in what the reader collected).
     */
    void assertWholeStream(String reader, List<Record> collected, Set<String> committed) {
        List<String> keys = keys(collected);
        assertThat(new HashSet<>(keys)).as("%s: no event twice in %s", reader, keys).hasSize(keys.size());
        assertThat(new HashSet<>(keys)).as("%s: every committed event, and only those", reader).isEqualTo(committed);
        for (int i = 1; i < collected.size(); i++) {
            assertThat(collected.get(i).position()).as("%s: positions strictly increasing at %s", reader, keys.get(i))
                    .isGreaterThan(collected.get(i - 1).position());
        }
        Map<String, Long> versions = new HashMap<>();
        for (Record record : collected) {
            Long previous = versions.put(record.aggregateId(), record.version());
            assertThat(record.version()).as("%s: %s in version order", reader, key(record))
                    .isEqualTo(previous == null ? 1 : previous + 1);
        }
        List<Record> whole = store.readAll(0, 100_000);
        assertThat(positions(collected)).as("%s: the same events at the same positions as a re-read from the start",
                reader).isEqualTo(positions(whole));
    }

    private static Map<String, Long> positions(List<Record> records) {
        Map<String, Long> positions = new LinkedHashMap<>();
        for (Record record : records) {
            positions.put(key(record), record.position());
        }
        return positions;
    }

    private static void assertStillWaiting(Future<?> append, String what) {
        assertThatThrownBy(() -> append.get(STILL_WAITING_MILLIS, TimeUnit.MILLISECONDS))
                .as(what + " must wait until that transaction ends").isInstanceOf(TimeoutException.class);
    }

    private void awaitCaughtUp(Subscription subscription) {
        long head = store.lastPosition();
        awaitTrue("subscription '" + subscription.name() + "' reaches position " + head,
                () -> subscription.position() >= head);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Reads the global stream page by page from its checkpoint, as a subscription does. */
    final class Reader {
        final String name;
        final int limit;
        final Store on;
        long checkpoint;
        final List<Record> seen = new ArrayList<>();

        Reader(String name, int limit, long checkpoint) {
            this(name, limit, checkpoint, store);
        }

        Reader(String name, int limit, long checkpoint, Store on) {
            this.name = name;
            this.limit = limit;
            this.checkpoint = checkpoint;
            this.on = on;
        }

        /** @return what this read found: every page after the checkpoint until an empty one */
        List<Record> read() {
            List<Record> found = new ArrayList<>();
            while (true) {
                List<Record> page = on.readAll(checkpoint, limit);
                assertThat(page.size()).as("%s: page size", name).isLessThanOrEqualTo(limit);
                if (page.isEmpty()) {
                    return found;
                }
                for (Record record : page) {
                    assertThat(record.position()).as("%s: %s after its checkpoint", name, key(record))
                            .isGreaterThan(checkpoint);
                    checkpoint = record.position();
                    found.add(record);
                    seen.add(record);
                }
            }
        }
    }

    OpenTransaction begin() throws SQLException {
        OpenTransaction transaction = backend.begin();
        opened.add(transaction);
        return transaction;
    }

    Subscription.Builder builder(String name, SubscriptionHandler handler) {
        return Subscription.builder(name, store, serializer, handler).checkpoints(backend.checkpoints())
                .pollInterval(Duration.ofMillis(10));
    }

    Subscription start(Subscription.Builder builder) {
        Subscription subscription = builder.build();
        started.add(subscription);
        subscription.start();
        return subscription;
    }

    void append(String aggregateId, int events) {
        store.save(aggregateId, records(aggregateId, 1, events));
    }

    List<Record> records(String aggregateId, long fromVersion, int events) {
        List<Record> records = new ArrayList<>();
        for (long version = fromVersion; version < fromVersion + events; version++) {
            records.add(serializer.marshal(new Noted(aggregateId, version, Instant.now())).withAggregateType("Thing"));
        }
        return records;
    }

    static String key(Record record) {
        return record.aggregateId() + "@" + record.version();
    }

    static List<String> keys(List<?> events) {
        List<String> keys = new ArrayList<>();
        for (Object event : events) {
            keys.add(event instanceof StoredEvent stored ? stored.event().aggregateId() + "@"
                    + stored.event().version() : key((Record) event));
        }
        return keys;
    }

    /** What a subscription delivered, as records with their positions. */
    List<Record> asRecords(List<StoredEvent> delivered) {
        List<Record> records = new ArrayList<>();
        for (StoredEvent event : delivered) {
            records.add(serializer.marshal(event.event()).withAggregateType("Thing").withPosition(event.position()));
        }
        return records;
    }

    /** Wraps a store so that its {@code readAll} calls are counted. */
    private static Store countingReads(Store target, AtomicInteger reads) {
        return (Store) Proxy.newProxyInstance(NeverSkipTestBase.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, target, args);
                    if (method.getName().equals("readAll")) {
                        reads.incrementAndGet();
                    }
                    return result;
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    // ---- backends ----------------------------------------------------------------------------------------------

    /** The memory store, its appends joining transactions the test holds (see {@link HeldTransactions}). */
    static Backend memory() {
        HeldTransactions transactions = new HeldTransactions();
        MemoryStore store = new MemoryStore(transactions);
        MemoryCheckpointStore checkpoints = new MemoryCheckpointStore();
        return new Backend() {
            @Override
            public Store store() {
                return store;
            }

            @Override
            public CheckpointStore checkpoints() {
                return checkpoints;
            }

            @Override
            public Store storeAtRepeatableRead() {
                return store;
            }

            @Override
            public OpenTransaction begin() {
                return transactions.new Held(store);
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * A {@link TransactionContext} whose transactions are objects a test holds: one is the calling thread's
     * current transaction only during a call made in it, and is committed or rolled back by whichever thread the
     * test ends it on, with the callbacks Spring's synchronization makes.
     */
    static final class HeldTransactions implements TransactionContext {

        private final ThreadLocal<Held> current = new ThreadLocal<>();

        final class Held implements OpenTransaction {
            private final Map<Object, Participant> participants = new LinkedHashMap<>();
            private final MemoryStore store;
            private boolean ended;

            Held(MemoryStore store) {
                this.store = store;
            }

            private <T> T in(Supplier<T> call) {
                current.set(this);
                try {
                    return call.get();
                } finally {
                    current.remove();
                }
            }

            @Override
            public void append(String aggregateId, List<Record> records) {
                in(() -> store.save(aggregateId, records));
            }

            @Override
            public void load(String aggregateId) {
                in(() -> store.load(aggregateId));
            }

            @Override
            public void writeElsewhere(String key) {
                // The memory store has nothing but its events.
            }

            @Override
            public void commit() {
                end(true);
            }

            @Override
            public void rollback() {
                end(false);
            }

            @Override
            public void close() {
                if (!ended) {
                    end(false);
                }
            }

            private synchronized void end(boolean committed) {
                ended = true;
                List<Participant> ending = new ArrayList<>(participants.values());
                participants.clear();
                if (committed) {
                    ending.forEach(Participant::afterCommit);
                }
                for (Participant participant : ending) {
                    participant.afterCompletion(committed);
                }
            }
        }

        @Override
        public boolean isActive() {
            return current.get() != null;
        }

        @Override
        public Participant participant(Object key) {
            Held held = current.get();
            return held == null ? null : held.participants.get(key);
        }

        @Override
        public void register(Object key, Participant participant) {
            Held held = current.get();
            if (held == null) {
                throw new IllegalStateException("no transaction");
            }
            held.participants.put(key, participant);
        }
    }

    /** A JDBC store on a new table of the database, with a scratch table next to it for {@code writeElsewhere}. */
    static Backend jdbc(JdbcDialect dialect) {
        TestDatabases.Database database = TestDatabases.get(dialect);
        String table = TestDatabases.uniqueTable("skip");
        String scratch = table + "_scratch";
        JdbcStore store = JdbcStore.builder(database.pooled()).tableName(table).build();
        store.createSchema();
        execute(database.pooled(), "CREATE TABLE " + scratch + " (id VARCHAR(100) PRIMARY KEY)");
        HikariConfig repeatableRead = new HikariConfig();
        repeatableRead.setDataSource(database.unpooled());
        repeatableRead.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
        repeatableRead.setMaximumPoolSize(8);
        repeatableRead.setPoolName("repeatable-read-" + table);
        HikariDataSource repeatableReadPool = new HikariDataSource(repeatableRead);
        return new Backend() {
            @Override
            public Store store() {
                return store;
            }

            @Override
            public Store storeAtRepeatableRead() {
                return JdbcStore.builder(repeatableReadPool).dialect(dialect).tableName(table).build();
            }

            @Override
            public CheckpointStore checkpoints() {
                return store.checkpointStore();
            }

            @Override
            public OpenTransaction begin() throws SQLException {
                Connection connection = database.pooled().getConnection();
                connection.setAutoCommit(false);
                JdbcStore bound = JdbcStore.builder(boundTo(connection)).dialect(dialect).tableName(table).build();
                return new OpenTransaction() {
                    private boolean ended;

                    @Override
                    public void append(String aggregateId, List<Record> records) {
                        bound.save(aggregateId, records);
                    }

                    @Override
                    public void load(String aggregateId) {
                        bound.load(aggregateId);
                    }

                    @Override
                    public void writeElsewhere(String key) throws SQLException {
                        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + scratch
                                + " (id) VALUES (?)")) {
                            insert.setString(1, key);
                            insert.executeUpdate();
                        }
                    }

                    @Override
                    public synchronized void commit() throws SQLException {
                        ended = true;
                        connection.commit();
                    }

                    @Override
                    public synchronized void rollback() throws SQLException {
                        ended = true;
                        connection.rollback();
                    }

                    @Override
                    public synchronized void close() throws SQLException {
                        if (connection.isClosed()) {
                            return;
                        }
                        try {
                            if (!ended) {
                                ended = true;
                                connection.rollback();
                            }
                            connection.setAutoCommit(true);
                        } finally {
                            connection.close();
                        }
                    }
                };
            }

            @Override
            public void close() {
                repeatableReadPool.close();
                execute(database.pooled(), "DROP TABLE IF EXISTS " + scratch);
                TestDatabases.drop(database.pooled(), table);
            }
        };
    }

    private static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A DataSource that always hands out one connection, as Spring's transaction-aware proxy does in a transaction. */
    private static DataSource boundTo(Connection connection) {
        Connection unclosable = (Connection) Proxy.newProxyInstance(NeverSkipTestBase.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) ->
                        method.getName().equals("close") ? null : invoke(method, connection, args));
        return (DataSource) Proxy.newProxyInstance(NeverSkipTestBase.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) ->
                        method.getName().equals("getConnection") ? unclosable : null);
    }
}
