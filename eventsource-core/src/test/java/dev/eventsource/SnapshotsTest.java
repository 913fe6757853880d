package dev.eventsource;

import dev.eventsource.RepositoryMetrics.SnapshotOutcome;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Snapshotting;
import dev.eventsource.internal.StateShapes;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemorySnapshotStore;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots on the memory stores: a cache that never changes a result. */
class SnapshotsTest {

    static final Instant AT = Instant.parse("2024-03-01T12:00:00Z");

    record Opened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    record Deposited(String aggregateId, long version, Instant at, long cents, String note) implements Event {
    }

    record Open(String aggregateId, String owner) implements Command {
    }

    record Deposit(String aggregateId, long cents, String note, String commandId) implements Command {
        Deposit(String aggregateId, long cents) {
            this(aggregateId, cents, "n", null);
        }
    }

    record Tag(String label, int weight) {
    }

    @Snapshotting(every = 5)
    static class Account extends AggregateRoot {
        private String owner;
        private long cents;
        private final List<String> notes = new ArrayList<>();
        private Map<String, Tag> tags = new java.util.TreeMap<>();

        @CommandHandler(creates = true)
        Event handle(Open command) {
            if (version() > 0) {
                throw new IllegalStateException("exists");
            }
            return new Opened(command.aggregateId(), nextVersion(), AT, command.owner());
        }

        @CommandHandler
        Event handle(Deposit command) {
            return new Deposited(command.aggregateId(), nextVersion(), AT, command.cents(), command.note());
        }

        @EventHandler
        void on(Opened event) {
            owner = event.owner();
        }

        @EventHandler
        void on(Deposited event) {
            cents += event.cents();
            notes.add(event.note());
            tags.put(event.note(), new Tag(event.note(), (int) (event.cents() % 7)));
        }
    }

    /** Counts snapshot outcomes and replayed events, as a metrics registry would. */
    static final class Recorded implements RepositoryMetrics {
        final Map<SnapshotOutcome, AtomicInteger> outcomes = new EnumMap<>(SnapshotOutcome.class);
        final List<Integer> replayed = new java.util.concurrent.CopyOnWriteArrayList<>();

        Recorded() {
            for (SnapshotOutcome outcome : SnapshotOutcome.values()) {
                outcomes.put(outcome, new AtomicInteger());
            }
        }

        @Override
        public void snapshot(Class<?> aggregateType, SnapshotOutcome outcome) {
            outcomes.get(outcome).incrementAndGet();
        }

        @Override
        public void loaded(Class<?> aggregateType, int events, long nanos) {
            replayed.add(events);
        }

        int count(SnapshotOutcome outcome) {
            return outcomes.get(outcome).get();
        }
    }

    final MemoryStore store = new MemoryStore();
    final MemorySnapshotStore snapshots = new MemorySnapshotStore();
    final Recorded metrics = new Recorded();
    final Repository<Account> accounts = Repository.builder(Account.class).store(store).snapshots(snapshots)
            .snapshotExecutor(Runnable::run).metrics(metrics).build();
    final Repository<Account> plain = Repository.builder(Account.class).store(store).build();

    @Test
    void aSnapshotIsTakenEveryNEventsAndALoadReplaysOnlyTheEventsAfterIt() {
        accounts.apply(new Open("a-1", "Ann"));
        for (int i = 1; i <= 11; i++) {
            accounts.apply(new Deposit("a-1", i));
        }
        Snapshot snapshot = snapshots.load("Account", "a-1");
        assertThat(snapshot).isNotNull();
        assertThat(snapshot.version()).isEqualTo(10);
        assertThat(snapshot.fingerprint()).isEqualTo(StateShapes.fingerprint(Account.class));
        assertThat(metrics.count(SnapshotOutcome.TAKEN)).isEqualTo(2);

        metrics.replayed.clear();
        Account loaded = accounts.load("a-1");
        assertThat(metrics.replayed).containsExactly(2);
        assertThat(loaded).usingRecursiveComparison().isEqualTo(plain.load("a-1"));
        assertThat(loaded.version()).isEqualTo(12);
    }

    @Test
    void randomCommandSequencesLoadTheSameWithAndWithoutSnapshotsAtEveryVersion() {
        Random random = new Random(7);
        for (int round = 0; round < 12; round++) {
            String id = "r-" + round;
            accounts.apply(new Open(id, "owner " + round));
            int commands = random.nextInt(40);
            for (int i = 0; i < commands; i++) {
                accounts.apply(new Deposit(id, random.nextInt(1000), "n" + random.nextInt(5), null));
                assertThat(accounts.load(id)).as("%s after %d commands", id, i + 1)
                        .usingRecursiveComparison().isEqualTo(plain.load(id));
            }
        }
        assertThat(metrics.count(SnapshotOutcome.HIT)).isPositive();
    }

    @Test
    void deletingEverySnapshotChangesNoResult() {
        accounts.apply(new Open("a-1", "Ann"));
        for (int i = 1; i <= 12; i++) {
            accounts.apply(new Deposit("a-1", i));
        }
        Account withSnapshot = accounts.load("a-1");
        assertThat(snapshots.deleteAll("Account")).isEqualTo(1);
        assertThat(accounts.load("a-1")).usingRecursiveComparison().isEqualTo(withSnapshot);
    }

    @Test
    void aSnapshotOfAnotherShapeOrRevisionIsIgnoredAndReplaced() {
        accounts.apply(new Open("a-1", "Ann"));
        for (int i = 1; i <= 3; i++) {
            accounts.apply(new Deposit("a-1", i));
        }
        byte[] state = ((StateSerializer) accounts.serializer()).marshalState(plain.load("a-1"));
        snapshots.save(new Snapshot("Account", "a-1", 4, "0000000000000000", 1, AT, state));
        assertThat(accounts.load("a-1").cents).isEqualTo(6);
        assertThat(metrics.count(SnapshotOutcome.STALE)).isEqualTo(1);

        snapshots.deleteAll("Account");
        snapshots.save(new Snapshot("Account", "a-1", 4, StateShapes.fingerprint(Account.class), 2, AT, state));
        assertThat(accounts.load("a-1").cents).isEqualTo(6);
        assertThat(metrics.count(SnapshotOutcome.STALE)).isEqualTo(2);
    }

    @Test
    void aCorruptSnapshotIsIgnoredAndTheEventsReplayed() {
        accounts.apply(new Open("a-1", "Ann"));
        accounts.apply(new Deposit("a-1", 5));
        snapshots.save(new Snapshot("Account", "a-1", 2, StateShapes.fingerprint(Account.class), 1, AT,
                "{\"cents\": \"lots\"".getBytes(StandardCharsets.UTF_8)));
        Account loaded = accounts.load("a-1");
        assertThat(loaded.cents).isEqualTo(5);
        assertThat(loaded.owner).isEqualTo("Ann");
        assertThat(metrics.count(SnapshotOutcome.STALE)).isEqualTo(1);
    }

    @Test
    void aSnapshotBeyondTheStoredEventsIsIgnored() {
        accounts.apply(new Open("a-1", "Ann"));
        byte[] state = ((StateSerializer) accounts.serializer()).marshalState(plain.load("a-1"));
        snapshots.save(new Snapshot("Account", "a-1", 9, StateShapes.fingerprint(Account.class), 1, AT, state));
        assertThat(accounts.load("a-1").version()).isEqualTo(1);
        assertThat(metrics.count(SnapshotOutcome.STALE)).isEqualTo(1);
    }

    @Test
    void aRepeatedCommandWhoseEventsAreOlderThanTheSnapshotIsStillADuplicate() {
        accounts.apply(new Open("a-1", "Ann"));
        CommandResult<Account> first = accounts.execute(new Deposit("a-1", 100, "first", "cmd-1"));
        for (int i = 1; i <= 10; i++) {
            accounts.apply(new Deposit("a-1", i));
        }
        assertThat(snapshots.load("Account", "a-1").version()).isGreaterThan(first.version());
        CommandResult<Account> again = accounts.execute(new Deposit("a-1", 100, "first", "cmd-1"));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.version()).isEqualTo(2);
        assertThat(again.aggregate().cents).isEqualTo(100);
        assertThat(store.load("a-1")).hasSize(12);
    }

    @Test
    void aFullSnapshotQueueOrAFailingSnapshotStoreNeverFailsACommand() {
        Repository<Account> refusing = Repository.builder(Account.class).store(store).snapshots(snapshots)
                .snapshotExecutor(task -> {
                    throw new RejectedExecutionException("queue full");
                }).metrics(metrics).build();
        refusing.apply(new Open("a-1", "Ann"));
        for (int i = 1; i <= 5; i++) {
            refusing.apply(new Deposit("a-1", i));
        }
        assertThat(metrics.count(SnapshotOutcome.SKIPPED)).as("versions 5 and 6 were due").isEqualTo(2);

        SnapshotStore broken = new SnapshotStore() {
            @Override
            public Snapshot load(String aggregateType, String aggregateId) {
                throw new IllegalStateException("snapshot table is gone");
            }

            @Override
            public boolean save(Snapshot snapshot) {
                throw new IllegalStateException("snapshot table is gone");
            }

            @Override
            public int deleteAll(String aggregateType) {
                return 0;
            }
        };
        Repository<Account> failing = Repository.builder(Account.class).store(store).snapshots(broken)
                .snapshotExecutor(Runnable::run).metrics(metrics).build();
        for (int i = 1; i <= 5; i++) {
            failing.apply(new Deposit("a-1", i));
        }
        assertThat(failing.load("a-1").cents).isEqualTo(30);
        assertThat(metrics.count(SnapshotOutcome.FAILED)).isGreaterThanOrEqualTo(6);
    }

    @Test
    void snapshotsTakenWhileOthersAppendNeverMoveTheStateBack() throws Exception {
        ExecutorService snapshotThreads = Executors.newFixedThreadPool(2);
        Repository<Account> concurrent = Repository.builder(Account.class).store(store).snapshots(snapshots,
                new SnapshotPolicy(1, java.time.Duration.ZERO, 1)).snapshotExecutor(snapshotThreads).build();
        concurrent.apply(new Open("a-1", "Ann"));
        ExecutorService writers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        concurrent.apply(new Deposit("a-1", 1));
                        assertThat(concurrent.load("a-1").cents).isLessThanOrEqualTo(150);
                    }
                }));
            }
            for (Future<?> writer : done) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
            snapshotThreads.shutdown();
            assertThat(snapshotThreads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(concurrent.load("a-1").cents).isEqualTo(150);
        assertThat(concurrent.load("a-1")).usingRecursiveComparison().isEqualTo(plain.load("a-1"));
    }

    @Test
    void theFingerprintChangesWhenAFieldIsAddedRemovedRenamedOrRetyped() {
        assertThat(StateShapes.fingerprint(Account.class)).hasSize(16)
                .isEqualTo(StateShapes.fingerprint(Account.class));
        assertThat(StateShapes.describe(Account.class)).contains("tags:java.util.Map<java.lang.String,"
                + Tag.class.getName() + "{label:java.lang.String;weight:int;}");
        List<String> prints = List.of(StateShapes.fingerprint(V1.class), StateShapes.fingerprint(Added.class),
                StateShapes.fingerprint(Renamed.class), StateShapes.fingerprint(Retyped.class),
                StateShapes.fingerprint(Removed.class));
        assertThat(prints).doesNotHaveDuplicates();
    }

    static class V1 extends AggregateRoot {
        long cents;
        String owner;
    }

    static class Added extends AggregateRoot {
        long cents;
        String owner;
        String email;
    }

    static class Renamed extends AggregateRoot {
        long balance;
        String owner;
    }

    static class Retyped extends AggregateRoot {
        int cents;
        String owner;
    }

    static class Removed extends AggregateRoot {
        long cents;
    }
}
