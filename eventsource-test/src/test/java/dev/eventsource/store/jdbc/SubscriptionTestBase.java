package dev.eventsource.store.jdbc;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.StoredEvent;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.subscription.MemoryCheckpointStore;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.StartFrom;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionStatus;
import dev.eventsource.subscription.SubscriptionFailedException;
import dev.eventsource.subscription.SubscriptionHandler;
import dev.eventsource.subscription.SubscriptionMetrics;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Subscriptions on a store and its checkpoint store: the proof that no committed event is ever skipped under
 * concurrent, slow and rolled-back appends, restarts from the checkpoint, retries and stops of failing handlers,
 * starting from the end, and two instances sharing one subscription. {@link SubscriptionTests} runs it on the
 * memory store and on each database.
 */
abstract class SubscriptionTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** A store under test and what the base needs to drive it. */
    interface Backend {
        Store store();

        /** @return a checkpoint store on the same durable state (for JDBC a new instance on the same table) */
        CheckpointStore checkpoints();

        /**
         * Appends in a transaction of its own that waits {@code delayNanos} after inserting and then commits or
         * rolls back; the memory store has no transactions, so it only appends (never rolls back).
         *
         * @return whether the records were committed
         */
        boolean appendInTransaction(String aggregateId, List<Record> records, long delayNanos, boolean rollback)
                throws SQLException;

        void close();
    }

    record Happened(String aggregateId, long version, Instant at, int writer, int n) implements Event {
    }

    record Other(String aggregateId, long version, Instant at) implements Event {
    }

    final Serializer serializer = JacksonSerializer.json().bind(Happened.class, Other.class);
    Backend backend;
    Store store;
    private final List<Subscription> started = new ArrayList<>();

    abstract Backend newBackend();

    @BeforeEach
    void createBackend() {
        backend = newBackend();
        store = backend.store();
    }

    @AfterEach
    void stopAndDrop() {
        for (Subscription subscription : started) {
            subscription.stop(Duration.ofSeconds(10));
        }
        if (backend != null) {
            backend.close();
        }
    }

    // ---- the proof --------------------------------------------------------------------------------------------

    @Test
    @DisplayName("8 writers with slow and rolled-back transactions: every committed event seen once, in order, by two"
            + " subscriptions at different paces")
    void neverSkipsAnEventUnderConcurrentSlowAndRolledBackAppends() throws Exception {
        int rounds = 6;
        int transactionsPerWriter = 40;
        long started = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            runProofRound(round, transactionsPerWriter);
        }
        System.out.printf("%s: %d rounds of 8 x %d transactions in %d ms%n", getClass().getSimpleName(), rounds,
                transactionsPerWriter, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void runProofRound(int round, int transactionsPerWriter) throws Exception {
        List<StoredEvent> seen = new CopyOnWriteArrayList<>();
        List<StoredEvent> seenSlowly = new CopyOnWriteArrayList<>();
        // A small batch and a 1 ms poll make the subscription read very often, between the writers' inserts and
        // commits, which is where a reader that skips would skip.
        Subscription subscription = start(builder("proof-" + round, seen::add).batchSize(7)
                .pollInterval(Duration.ofMillis(1)));
        // A second subscription at another pace (large batches, a slower poll) reads at other moments.
        Subscription slower = start(builder("proof-slower-" + round, seenSlowly::add).batchSize(50)
                .pollInterval(Duration.ofMillis(15)));
        Set<String> committed = ConcurrentHashMap.newKeySet();
        Set<String> rolledBack = ConcurrentHashMap.newKeySet();
        long before = store.lastPosition();

        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (int writer = 0; writer < 8; writer++) {
                int w = writer;
                results.add(writers.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int n = 0; n < transactionsPerWriter; n++) {
                        String id = "r" + round + "-w" + w + "-" + n;
                        int size = 1 + random.nextInt(3);
                        List<Record> records = new ArrayList<>();
                        for (int v = 1; v <= size; v++) {
                            records.add(serializer.marshal(new Happened(id, v, Instant.now(), w, n)).withAggregateType("Thing"));
                        }
                        boolean rollback = random.nextInt(5) == 0;
                        long delay = random.nextLong(2_000_000);
                        boolean stored = backend.appendInTransaction(id, records, delay, rollback);
                        for (Record record : records) {
                            (stored ? committed : rolledBack).add(id + "@" + record.version());
                        }
                        LockSupport.parkNanos(random.nextLong(300_000));
                    }
                    return null;
                }));
            }
            for (Future<Void> result : results) {
                result.get(2, TimeUnit.MINUTES);
            }
        } finally {
            writers.shutdownNow();
        }

        long head = store.lastPosition();
        awaitTrue("subscription reaches position " + head, () -> subscription.position() >= head);
        awaitTrue("the slower subscription reaches position " + head, () -> slower.position() >= head);
        subscription.stop();
        slower.stop();

        assertSeenOnceInOrder("the fast subscription", seen, before, committed, rolledBack);
        assertSeenOnceInOrder("the slower subscription", seenSlowly, before, committed, rolledBack);
    }

    private static void assertSeenOnceInOrder(String subscription, List<StoredEvent> seen, long before,
                                              Set<String> committed, Set<String> rolledBack) {
        List<String> ids = seen.stream().filter(e -> e.position() > before)
                .map(e -> e.event().aggregateId() + "@" + e.event().version()).toList();
        assertThat(new HashSet<>(ids)).as("%s: seen once each", subscription).hasSize(ids.size());
        assertThat(new HashSet<>(ids)).as("%s: every committed event, and only those", subscription)
                .isEqualTo(committed);
        assertThat(ids).as("%s: no rolled-back event", subscription).noneMatch(rolledBack::contains);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).position()).as("%s: position order", subscription)
                    .isGreaterThan(seen.get(i - 1).position());
        }
    }

    // ---- restarts, failures, start position --------------------------------------------------------------------

    @Test
    @DisplayName("a restarted subscription continues after its stored checkpoint")
    void restartsFromTheCheckpoint() {
        append("a", 3);
        List<String> first = new CopyOnWriteArrayList<>();
        Subscription one = start(builder("restart", e -> first.add(key(e))));
        awaitTrue("first run handles 3", () -> first.size() == 3);
        one.stop();
        long checkpoint = one.position();
        append("b", 2);

        List<String> second = new CopyOnWriteArrayList<>();
        Subscription two = start(Subscription.builder("restart", store, serializer, e -> second.add(key(e)))
                .checkpoints(backend.checkpoints()).pollInterval(Duration.ofMillis(10)));
        awaitTrue("second run handles the 2 new events", () -> two.position() == store.lastPosition());

        assertThat(first).containsExactly("a@1", "a@2", "a@3");
        assertThat(second).containsExactly("b@1", "b@2");
        assertThat(backend.checkpoints().position("restart")).hasValue(two.position());
        assertThat(two.position()).isGreaterThan(checkpoint);
    }

    @Test
    @DisplayName("a handler that fails twice on an event is retried with backoff and then succeeds; nothing skipped")
    void retriesAFailingHandler() {
        append("a", 4);
        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        RecordingMetrics metrics = new RecordingMetrics();
        Subscription subscription = start(builder("retry", e -> {
            if (key(e).equals("a@3") && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("projection table is busy");
            }
            handled.add(key(e));
        }).maxAttempts(3).backoff(Duration.ofMillis(5), Duration.ofMillis(20)).metrics(metrics));

        awaitTrue("all 4 handled and checkpointed", () -> subscription.position() == store.lastPosition());

        assertThat(handled).containsExactly("a@1", "a@2", "a@3", "a@4");
        assertThat(metrics.failures).hasValue(2);
        assertThat(metrics.processed).hasValue(4);
        assertThat(subscription.state()).isEqualTo(Subscription.State.ACTIVE);
    }

    @Test
    @DisplayName("a handler that always fails stops the subscription at that event, without advancing past it")
    void stopsOnAHandlerThatKeepsFailing() {
        append("a", 4);
        List<String> handled = new CopyOnWriteArrayList<>();
        RecordingMetrics metrics = new RecordingMetrics();
        Subscription subscription = start(builder("stuck", e -> {
            if (key(e).equals("a@3")) {
                throw new IllegalStateException("cannot project a@3");
            }
            handled.add(key(e));
        }).maxAttempts(3).backoff(Duration.ofMillis(5), Duration.ofMillis(10)).metrics(metrics));

        awaitTrue("the subscription halts", () -> subscription.state() == Subscription.State.HALTED);

        long positionOfA2 = store.readAll(0, 10).get(1).position();
        assertThat(handled).containsExactly("a@1", "a@2");
        assertThat(subscription.position()).isEqualTo(positionOfA2);
        assertThat(backend.checkpoints().position("stuck")).hasValue(positionOfA2);
        assertThat(subscription.failure()).isInstanceOf(SubscriptionFailedException.class)
                .hasMessageContaining("'stuck'").hasMessageContaining("position " + (store.readAll(0, 10).get(2)
                        .position())).hasMessageContaining("Happened").hasMessageContaining("'a'")
                .hasMessageContaining("cannot project a@3").hasRootCauseMessage("cannot project a@3");
        SubscriptionFailedException failure = (SubscriptionFailedException) subscription.failure();
        assertThat(failure.subscription()).isEqualTo("stuck");
        assertThat(failure.aggregateId()).isEqualTo("a");
        assertThat(failure.version()).isEqualTo(3);
        assertThat(failure.eventType()).isEqualTo("Happened");
        assertThat(failure.position()).isEqualTo(store.readAll(0, 10).get(2).position());
        assertThat(metrics.failures).hasValue(3);
        assertThat(metrics.halted).isTrue();
        assertThat(subscription.isRunning()).as("a halted subscription keeps its thread and lease").isTrue();
        assertThat(subscription.status().state()).isEqualTo(SubscriptionStatus.State.HALTED);
        assertThat(subscription.status().lastFailure().position()).isEqualTo(failure.position());
        assertThat(subscription.status().lastFailure().error()).isEqualTo("IllegalStateException: cannot project a@3");
        subscription.stop();

        List<String> afterFix = new CopyOnWriteArrayList<>();
        start(Subscription.builder("stuck", store, serializer, e -> afterFix.add(key(e)))
                .checkpoints(backend.checkpoints()).pollInterval(Duration.ofMillis(10)));
        awaitTrue("a fixed handler resumes at the failed event", () -> afterFix.size() == 2);
        assertThat(afterFix).containsExactly("a@3", "a@4");
    }

    @Test
    @DisplayName("a new subscription that starts from the end sees only events appended after it first ran")
    void startsFromTheEnd() {
        append("old", 3);
        List<String> handled = new CopyOnWriteArrayList<>();
        Subscription subscription = start(builder("tail", e -> handled.add(key(e))).startFrom(StartFrom.END));
        awaitTrue("the subscription holds its lease", () -> subscription.position() >= 0);

        append("new", 2);

        awaitTrue("2 new events handled", () -> handled.size() == 2);
        assertThat(handled).containsExactly("new@1", "new@2");
    }

    @Test
    @DisplayName("events of types the handler does not want are passed over, and the checkpoint moves past them")
    void passesOverUnwantedTypes() {
        append("a", 1);
        store.save("b", serializer.marshal(new Other("b", 1, Instant.now())).withAggregateType("Thing"));
        append("c", 1);
        List<String> handled = new CopyOnWriteArrayList<>();
        Subscription subscription = start(builder("typed", new SubscriptionHandler() {
            @Override
            public void handle(StoredEvent event) {
                handled.add(key(event));
            }

            @Override
            public boolean handles(String eventType) {
                return eventType.equals("Happened");
            }
        }));
        awaitTrue("caught up", () -> subscription.position() == store.lastPosition());
        assertThat(handled).containsExactly("a@1", "c@1");
    }

    // ---- one instance at a time --------------------------------------------------------------------------------

    @Test
    @DisplayName("two instances of one subscription: each event handled by exactly one; the other takes over")
    void twoInstancesShareOneSubscription() {
        Map<String, String> handledBy = new ConcurrentHashMap<>();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        Subscription first = start(instance("first", handledBy, duplicates));
        Subscription second = start(instance("second", handledBy, duplicates));

        for (int i = 0; i < 20; i++) {
            append("x" + i, 3);
        }
        awaitTrue("60 handled", () -> handledBy.size() == 60);
        Subscription active = first.state() == Subscription.State.ACTIVE ? first : second;
        Subscription standby = active == first ? second : first;
        assertThat(standby.state()).isEqualTo(Subscription.State.STANDBY);
        assertThat(Set.copyOf(handledBy.values())).containsExactly(active.owner());

        active.stop();
        for (int i = 20; i < 30; i++) {
            append("x" + i, 3);
        }
        awaitTrue("the other instance takes over and handles 30 more", () -> handledBy.size() == 90);
        assertThat(duplicates).isEmpty();
        assertThat(standby.state()).isEqualTo(Subscription.State.ACTIVE);
        assertThat(handledBy.entrySet().stream().filter(e -> e.getValue().equals(standby.owner())).count())
                .isEqualTo(30);
    }

    private Subscription.Builder instance(String owner, Map<String, String> handledBy, List<String> duplicates) {
        return Subscription.builder("shared", store, serializer, e -> {
            String previous = handledBy.putIfAbsent(key(e), owner);
            if (previous != null) {
                duplicates.add(key(e) + " by " + owner + " and " + previous);
            }
        }).checkpoints(backend.checkpoints()).owner(owner).pollInterval(Duration.ofMillis(5)).batchSize(10);
    }

    @Test
    @DisplayName("the lease: one holder at a time; after another took an expired lease the old one cannot advance")
    void leaseFencesAnInstanceThatLostIt() throws Exception {
        CheckpointStore a = backend.checkpoints();
        CheckpointStore b = backend.checkpoints();
        Duration shortLease = Duration.ofMillis(500); // long enough for a loaded machine to ask b in between

        assertThat(a.acquire("fenced", "A", shortLease, () -> 7)).hasValue(7);
        assertThat(b.acquire("fenced", "B", Duration.ofMinutes(1), () -> 0)).isEmpty();
        assertThat(a.advance("fenced", "A", 9, shortLease)).isTrue();
        Thread.sleep(700);
        assertThat(b.acquire("fenced", "B", Duration.ofMinutes(1), () -> 0)).as("expired lease taken").hasValue(9);

        assertThat(a.advance("fenced", "A", 12, shortLease)).as("old holder is fenced").isFalse();
        assertThat(a.renew("fenced", "A", shortLease)).isFalse();
        a.release("fenced", "A");
        assertThat(b.position("fenced")).hasValue(9);
        assertThat(b.advance("fenced", "B", 10, Duration.ofMinutes(1))).isTrue();
        b.release("fenced", "B");
        assertThat(a.acquire("fenced", "A", shortLease, () -> 0)).as("released lease taken at once").hasValue(10);
    }

    // ---- leases: renewal, and takeover after a crash -----------------------------------------------------------

    @Test
    @DisplayName("a holder that dies without releasing its lease is taken over once the lease runs out, not before")
    void takesOverFromAHolderThatStopsRenewing() {
        Duration lease = Duration.ofMillis(1500);
        Duration renew = Duration.ofMillis(300);
        AtomicBoolean crashed = new AtomicBoolean();
        List<String> handledByDying = new CopyOnWriteArrayList<>();
        start(Subscription.builder("crash", crashable(Store.class, store, crashed), serializer, e -> {
                    // A killed process runs no handler either: a read that entered the store just before the crash
                    // (and saw the next append) must not count as handled by the dead instance.
                    if (crashed.get()) {
                        throw new IllegalStateException("the process was killed");
                    }
                    handledByDying.add(key(e));
                })
                .checkpoints(crashable(CheckpointStore.class, backend.checkpoints(), crashed)).owner("dying")
                .leaseTime(lease).renewInterval(renew).pollInterval(Duration.ofMillis(10)));
        append("before", 1);
        awaitTrue("the first instance handles the first event", () -> handledByDying.contains("before@1"));
        List<String> handledBySurvivor = new CopyOnWriteArrayList<>();
        Subscription survivor = start(builder("crash", e -> handledBySurvivor.add(key(e))).owner("survivor")
                .leaseTime(lease).renewInterval(renew));
        awaitTrue("the second instance stands by", () -> survivor.state() == Subscription.State.STANDBY);

        // The crash: from now on the first instance reaches no database, so it neither renews nor releases.
        long crashedAt = System.nanoTime();
        crashed.set(true);
        append("after", 1);
        awaitTrue("the second instance handles the event appended after the crash",
                () -> handledBySurvivor.contains("after@1"));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashedAt);

        System.out.printf("%s: takeover %d ms after the holder stopped renewing (lease %d ms, renewed every %d ms)%n",
                getClass().getSimpleName(), tookMillis, lease.toMillis(), renew.toMillis());
        assertThat(tookMillis).as("not before the lease ran out")
                .isGreaterThanOrEqualTo(lease.minus(renew).toMillis() - 100);
        assertThat(tookMillis).as("within the lease time, plus the standby poll and a margin for a loaded machine")
                .isLessThanOrEqualTo(lease.toMillis() + 1000);
        assertThat(handledBySurvivor).as("continues from the dead holder's checkpoint").containsExactly("after@1");
        assertThat(survivor.state()).isEqualTo(Subscription.State.ACTIVE);
        assertThat(handledByDying).containsExactly("before@1");
    }

    @Test
    @DisplayName("renewal keeps the lease across a batch that takes three times the lease time; no one else handles it")
    void renewalKeepsTheLeaseAcrossABatchLongerThanTheLease() {
        Duration lease = Duration.ofMillis(600);
        Duration renew = Duration.ofMillis(100);
        Map<String, String> handledBy = new ConcurrentHashMap<>();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        Subscription first = start(slowInstance("first", handledBy, duplicates).leaseTime(lease).renewInterval(renew));
        awaitTrue("the first instance holds the lease", () -> first.state() == Subscription.State.ACTIVE);
        Subscription second = start(slowInstance("second", handledBy, duplicates).leaseTime(lease)
                .renewInterval(renew));
        awaitTrue("the second instance stands by", () -> second.state() == Subscription.State.STANDBY);

        append("slow", 3); // slow@1 takes 1.8 s: one batch three times as long as the lease
        awaitTrue("all 3 handled and checkpointed", () -> handledBy.size() == 3
                && first.position() == store.lastPosition());

        assertThat(duplicates).isEmpty();
        assertThat(Set.copyOf(handledBy.values())).containsExactly("first");
        assertThat(first.state()).isEqualTo(Subscription.State.ACTIVE);
        assertThat(second.state()).isEqualTo(Subscription.State.STANDBY);
        assertThat(backend.checkpoints().position("long-batch")).hasValue(store.lastPosition());
    }

    private Subscription.Builder slowInstance(String owner, Map<String, String> handledBy, List<String> duplicates) {
        return builder("long-batch", e -> {
            if (key(e).equals("slow@1")) {
                LockSupport.parkNanos(Duration.ofMillis(1800).toNanos());
            }
            String previous = handledBy.putIfAbsent(key(e), owner);
            if (previous != null) {
                duplicates.add(key(e) + " by " + owner + " and " + previous);
            }
        }).owner(owner).batchSize(10);
    }

    @Test
    @DisplayName("a holder cut off from its lease stops before its next batch once a lease time passes unrenewed")
    void aHolderThatCannotRenewStopsBeforeItsNextBatch() throws Exception {
        Duration lease = Duration.ofMillis(1000);
        AtomicReference<CountDownLatch> paused = new AtomicReference<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        Subscription holder = start(builder("cut-off", e -> handled.add(key(e)))
                .checkpoints(pausable(backend.checkpoints(), paused)).owner("holder")
                .leaseTime(lease).renewInterval(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(50)));
        awaitTrue("it holds the lease", () -> holder.state() == Subscription.State.ACTIVE);

        // A long pause or a partition: the holder's lease calls hang, its reads of the stream do not.
        CountDownLatch resume = new CountDownLatch(1);
        paused.set(resume);
        CheckpointStore other = backend.checkpoints();
        awaitTrue("another instance takes the lease once it ran out",
                () -> other.acquire("cut-off", "other", Duration.ofMinutes(1), () -> 0).isPresent());
        append("x", 2);
        LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // ten of the holder's polls

        assertThat(handled).as("nothing handled once its lease may have gone").isEmpty();
        paused.set(null);
        resume.countDown();
        awaitTrue("the holder stands by", () -> holder.state() == Subscription.State.STANDBY);
        LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
        assertThat(handled).as("nothing handled while the other instance holds the lease").isEmpty();

        other.release("cut-off", "other");
        awaitTrue("it takes the free lease again and handles the 2 events", () -> handled.size() == 2);
        assertThat(handled).containsExactly("x@1", "x@2");
    }

    /** Wraps a checkpoint store so that its calls wait while {@code paused} holds a latch, until it opens. */
    private static CheckpointStore pausable(CheckpointStore target, AtomicReference<CountDownLatch> paused) {
        return (CheckpointStore) Proxy.newProxyInstance(SubscriptionTestBase.class.getClassLoader(),
                new Class<?>[] {CheckpointStore.class}, (proxy, method, args) -> {
                    CountDownLatch gate = paused.get();
                    if (gate != null && method.getDeclaringClass() != Object.class) {
                        gate.await();
                    }
                    return invoke(method, target, args);
                });
    }

    /** Wraps a store so that every call fails once {@code crashed} is set: what a killed process does no more. */
    @SuppressWarnings("unchecked")
    static <T> T crashable(Class<T> type, T target, AtomicBoolean crashed) {
        return (T) Proxy.newProxyInstance(SubscriptionTestBase.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() != Object.class && crashed.get()) {
                        throw new IllegalStateException("the process was killed");
                    }
                    return invoke(method, target, args);
                });
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private Subscription.Builder builder(String name, SubscriptionHandler handler) {
        return Subscription.builder(name, store, serializer, handler).checkpoints(backend.checkpoints())
                .pollInterval(Duration.ofMillis(10));
    }

    private Subscription start(Subscription.Builder builder) {
        Subscription subscription = builder.build();
        started.add(subscription);
        subscription.start();
        return subscription;
    }

    private void append(String aggregateId, int events) {
        List<Record> records = new ArrayList<>();
        for (int v = 1; v <= events; v++) {
            records.add(serializer.marshal(new Happened(aggregateId, v, Instant.now(), 0, v)).withAggregateType("Thing"));
        }
        store.save(aggregateId, records);
    }

    private static String key(StoredEvent event) {
        return event.event().aggregateId() + "@" + event.event().version();
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + WAIT + " waiting until " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** Counts what a subscription reports. */
    static final class RecordingMetrics implements SubscriptionMetrics {
        final AtomicInteger processed = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        volatile boolean halted;

        @Override
        public void processed(String subscription, int events) {
            processed.addAndGet(events);
        }

        @Override
        public void failed(String subscription) {
            failures.incrementAndGet();
        }

        @Override
        public void halted(String subscription, boolean halted) {
            this.halted = halted;
        }
    }

    // ---- backends ----------------------------------------------------------------------------------------------

    static Backend memory() {
        MemoryStore store = new MemoryStore();
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
            public boolean appendInTransaction(String aggregateId, List<Record> records, long delayNanos,
                                               boolean rollback) {
                LockSupport.parkNanos(delayNanos);
                store.save(aggregateId, records);
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    static Backend jdbc(JdbcDialect dialect) {
        TestDatabases.Database database = TestDatabases.get(dialect);
        String table = TestDatabases.uniqueTable("subs");
        JdbcStore store = JdbcStore.builder(database.pooled()).tableName(table).build();
        store.createSchema();
        return new Backend() {
            @Override
            public Store store() {
                return store;
            }

            @Override
            public CheckpointStore checkpoints() {
                return JdbcCheckpointStore.of(
                        JdbcStore.builder(database.pooled()).dialect(dialect).tableName(table).build());
            }

            @Override
            public boolean appendInTransaction(String aggregateId, List<Record> records, long delayNanos,
                                               boolean rollback) throws SQLException {
                try (Connection connection = database.pooled().getConnection()) {
                    connection.setAutoCommit(false);
                    try {
                        JdbcStore.builder(boundTo(connection)).dialect(dialect).tableName(table).build()
                                .save(aggregateId, records);
                        LockSupport.parkNanos(delayNanos);
                        if (rollback) {
                            connection.rollback();
                            return false;
                        }
                        connection.commit();
                        return true;
                    } catch (SQLException | RuntimeException e) {
                        connection.rollback();
                        throw e;
                    } finally {
                        connection.setAutoCommit(true);
                    }
                }
            }

            @Override
            public void close() {
                TestDatabases.drop(database.pooled(), table);
            }
        };
    }

    /** A DataSource that always hands out one connection, as Spring's transaction-aware proxy does in a transaction. */
    private static DataSource boundTo(Connection connection) {
        Connection unclosable = (Connection) Proxy.newProxyInstance(SubscriptionTestBase.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) ->
                        method.getName().equals("close") ? null : invoke(method, connection, args));
        return (DataSource) Proxy.newProxyInstance(SubscriptionTestBase.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) ->
                        method.getName().equals("getConnection") ? unclosable : null);
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
