package dev.eventsource.store.jdbc;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.StoredEvent;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.annotation.ResetHandler;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.DeadLetterNotFoundException;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.FailurePolicy;
import dev.eventsource.subscription.MemoryCheckpointStore;
import dev.eventsource.subscription.MemoryDeadLetterStore;
import dev.eventsource.subscription.ProjectionHandler;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionMetrics;
import dev.eventsource.subscription.SubscriptionOperationException;
import dev.eventsource.subscription.SubscriptionStatus;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.subscription.jdbc.JdbcDeadLetterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static dev.eventsource.store.jdbc.SubscriptionTestBase.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What an operator does with a subscription, on the memory store and on every database: a halted subscription
 * restarted after a fix resumes at the failing event; the dead-letter policy goes on, lists the event and replays it
 * once after a fix; a skip moves a halted event to the dead letters; a reset rebuilds a read model equal to a fresh
 * run's; pause and resume; and an operation issued through another {@link Subscription} object on the same
 * checkpoint store (another instance) reaches the lease holder, which runs the reset hook.
 */
class SubscriptionOperationsTests {

    record Happened(String aggregateId, long version, Instant at, int amount) implements Event {
    }

    /** A read model: the sum of amounts per aggregate, failing on the event that is {@link #poison} while broken. */
    @Projection("sums")
    static class Sums {
        final Map<String, Integer> sums = new ConcurrentHashMap<>();
        final List<String> handled = new CopyOnWriteArrayList<>();
        final AtomicInteger resets = new AtomicInteger();
        volatile String poison = "";
        volatile boolean broken = true;

        @EventHandler
        void on(Happened event) {
            String key = event.aggregateId() + "@" + event.version();
            if (broken && key.equals(poison)) {
                throw new IllegalStateException("cannot project " + key);
            }
            handled.add(key);
            sums.merge(event.aggregateId(), event.amount(), Integer::sum);
        }

        volatile boolean resetFails;

        @ResetHandler
        void reset() {
            resets.incrementAndGet();
            if (resetFails) {
                throw new IllegalStateException("the read model cannot be cleared");
            }
            sums.clear();
        }
    }

    abstract static class OnStore {
        final Serializer serializer = JacksonSerializer.json().bind(Happened.class);
        Store store;
        private final List<Subscription> started = new ArrayList<>();
        private Runnable cleanup = () -> { };

        /** @return the store and a factory of checkpoint and dead-letter stores on the same durable state */
        abstract Stores stores();

        record Stores(Store store, java.util.function.Supplier<CheckpointStore> checkpoints,
                      java.util.function.Supplier<DeadLetterStore> deadLetters, Runnable cleanup) {
        }

        private Stores stores;

        @BeforeEach
        void createStores() {
            stores = stores();
            store = stores.store();
            cleanup = stores.cleanup();
        }

        @AfterEach
        void stopAndDrop() {
            started.forEach(subscription -> subscription.stop(Duration.ofSeconds(10)));
            cleanup.run();
        }

        @Test
        @DisplayName("halt: stops at the failing event holding its lease; a restart after the fix resumes at it")
        void haltThenRestartAfterTheFix() {
            Sums sums = new Sums();
            sums.poison = "a@2";
            append("a", 3);
            Subscription subscription = start(builder("sums", sums));

            awaitTrue("it halts", () -> subscription.state() == Subscription.State.HALTED);
            SubscriptionStatus status = subscription.status();
            long poisonPosition = store.readAll(0, 10).get(1).position();
            assertThat(status.state()).isEqualTo(SubscriptionStatus.State.HALTED);
            assertThat(status.failurePolicy()).isEqualTo(FailurePolicy.HALT);
            assertThat(status.lastFailure()).isNotNull();
            assertThat(status.lastFailure().position()).isEqualTo(poisonPosition);
            assertThat(status.lastFailure().aggregateId()).isEqualTo("a");
            assertThat(status.lastFailure().aggregateType()).isEqualTo("Thing");
            assertThat(status.lastFailure().version()).isEqualTo(2);
            assertThat(status.lastFailure().eventType()).isEqualTo("Happened");
            assertThat(status.lastFailure().error()).isEqualTo("IllegalStateException: cannot project a@2");
            assertThat(status.checkpoint()).isLessThan(poisonPosition);
            assertThat(status.lag()).isPositive();
            assertThat(status.owner()).isEqualTo(subscription.owner());
            assertThat(subscription.isRunning()).isTrue();
            assertThat(sums.handled).containsExactly("a@1");
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            assertThat(sums.handled).as("nothing handled while halted").containsExactly("a@1");
            assertThat(catchThrowableOfType(SubscriptionOperationException.class, subscription::resume))
                    .hasMessageContaining("is HALTED").hasMessageContaining("PAUSED");

            sums.broken = false;
            subscription.restart();
            awaitTrue("it resumes at the failing event", () -> sums.handled.size() == 3);
            assertThat(sums.handled).containsExactly("a@1", "a@2", "a@3");
            awaitTrue("running", () -> subscription.status().state() == SubscriptionStatus.State.RUNNING
                    && subscription.status().lag() == 0);
            assertThat(catchThrowableOfType(SubscriptionOperationException.class, subscription::restart))
                    .hasMessageContaining("'sums' is RUNNING").hasMessageContaining("HALTED");
            assertThat(subscription.status().deadLetters()).isZero();
        }

        @Test
        @DisplayName("dead-letter: goes on past the failing event, lists it, and a replay after the fix applies it once")
        void deadLetterThenReplayOnce() {
            Sums sums = new Sums();
            sums.poison = "a@2";
            append("a", 3);
            AtomicInteger deadLettered = new AtomicInteger();
            Subscription subscription = start(builder("sums", sums).failurePolicy(FailurePolicy.DEAD_LETTER)
                    .metrics(new SubscriptionMetrics() {
                        @Override
                        public void deadLettered(String name) {
                            deadLettered.incrementAndGet();
                        }
                    }));

            awaitTrue("it goes on past the poison", () -> sums.handled.size() == 2);
            assertThat(sums.handled).containsExactly("a@1", "a@3");
            awaitTrue("caught up", () -> subscription.status().lag() == 0);
            SubscriptionStatus status = subscription.status();
            assertThat(status.state()).isEqualTo(SubscriptionStatus.State.RUNNING);
            assertThat(status.failurePolicy()).isEqualTo(FailurePolicy.DEAD_LETTER);
            assertThat(status.deadLetters()).isOne();
            // Counted after its batch commits, so possibly a moment after the dead letter is visible.
            awaitTrue("the dead letter counted", () -> deadLettered.get() >= 1);
            assertThat(deadLettered).hasValue(1);
            List<DeadLetter> letters = subscription.deadLetters().list("sums");
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.subscription()).isEqualTo("sums");
                assertThat(letter.position()).isEqualTo(store.readAll(0, 10).get(1).position());
                assertThat(letter.aggregateType()).isEqualTo("Thing");
                assertThat(letter.aggregateId()).isEqualTo("a");
                assertThat(letter.version()).isEqualTo(2);
                assertThat(letter.eventType()).isEqualTo("Happened");
                assertThat(letter.error()).isEqualTo("IllegalStateException: cannot project a@2");
            });
            assertThat(sums.sums).containsEntry("a", 4);

            assertThat(catchThrowableOfType(DeadLetterNotFoundException.class,
                    () -> subscription.replay(letters.get(0).id() + 1000))).hasMessageContaining("no dead letter");
            sums.broken = false;
            subscription.replay(letters.get(0).id());
            awaitTrue("the replay applied it and deleted the dead letter",
                    () -> sums.handled.size() == 3 && subscription.status().deadLetters() == 0);
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            assertThat(sums.handled).as("applied exactly once").containsExactly("a@1", "a@3", "a@2");
            assertThat(sums.sums).containsEntry("a", 6);
        }

        @Test
        @DisplayName("skip: a halted subscription moves the failing event to its dead letters and goes on")
        void skipMovesTheHaltedEventToTheDeadLetters() {
            Sums sums = new Sums();
            sums.poison = "a@1";
            append("a", 2);
            Subscription subscription = start(builder("sums", sums));
            awaitTrue("it halts", () -> subscription.state() == Subscription.State.HALTED);
            subscription.skip();
            awaitTrue("it goes on", () -> sums.handled.size() == 1 && subscription.status().lag() == 0);
            assertThat(sums.handled).containsExactly("a@2");
            assertThat(subscription.deadLetters().list("sums")).extracting(DeadLetter::version).containsExactly(1L);
            assertThat(catchThrowableOfType(SubscriptionOperationException.class, subscription::skip))
                    .hasMessageContaining("is RUNNING");
        }

        @Test
        @DisplayName("reset to the beginning: the reset hook runs and the rebuilt read model equals a fresh run's")
        void resetRebuildsLikeAFreshRun() {
            Sums sums = new Sums();
            sums.broken = false;
            append("a", 4);
            append("b", 3);
            Subscription subscription = start(builder("sums", sums));
            awaitTrue("all handled", () -> sums.handled.size() == 7);
            sums.sums.put("a", 1_000); // a bug corrupted the read model

            subscription.reset(0);
            awaitTrue("rebuilt", () -> sums.resets.get() == 1 && sums.handled.size() == 14);

            Sums fresh = new Sums();
            fresh.broken = false;
            start(builder("fresh", fresh));
            awaitTrue("the fresh run is done", () -> fresh.handled.size() == 7);
            assertThat(new TreeMap<>(sums.sums)).isEqualTo(new TreeMap<>(fresh.sums)).containsEntry("a", 10);
            awaitTrue("checkpointed at the head", () -> subscription.status().checkpoint() == store.lastPosition());

            long afterFifth = store.readAll(0, 10).get(4).position();
            subscription.reset(afterFifth);
            awaitTrue("the events after it are handled again", () -> sums.resets.get() == 2
                    && sums.handled.size() == 16);
            assertThat(sums.handled.subList(14, 16)).containsExactly("b@2", "b@3");
        }

        @Test
        @DisplayName("a reset whose hook fails changes nothing: checkpoint and read model stay, processing goes on")
        void aFailingResetHookChangesNothing() {
            Sums sums = new Sums();
            sums.broken = false;
            sums.resetFails = true;
            append("a", 3);
            Subscription subscription = start(builder("sums", sums));
            awaitTrue("all handled and checkpointed", () -> sums.handled.size() == 3
                    && subscription.status().lag() == 0);
            long checkpoint = subscription.status().checkpoint();

            subscription.reset(0);
            awaitTrue("the hook was called", () -> sums.resets.get() == 1);
            awaitTrue("the operation is dropped", () -> stores.checkpoints().get().state("sums").orElseThrow()
                    .operation() == null);
            assertThat(subscription.status().checkpoint()).isEqualTo(checkpoint);
            assertThat(subscription.status().state()).isEqualTo(SubscriptionStatus.State.RUNNING);
            assertThat(sums.sums).containsEntry("a", 6);
            append("a", 1);
            awaitTrue("it goes on", () -> sums.handled.size() == 4);
            assertThat(sums.handled).containsExactly("a@1", "a@2", "a@3", "a@4");
        }

        @Test
        @DisplayName("reset deletes the dead letters after its position, whose events are handled again")
        void resetDeletesLaterDeadLetters() {
            Sums sums = new Sums();
            sums.poison = "a@3";
            append("a", 3);
            Subscription subscription = start(builder("sums", sums).failurePolicy(FailurePolicy.DEAD_LETTER));
            awaitTrue("one dead letter", () -> subscription.status().deadLetters() == 1
                    && subscription.status().lag() == 0);
            sums.broken = false;
            subscription.reset(store.readAll(0, 10).get(1).position());
            awaitTrue("a@3 handled after the reset", () -> sums.handled.contains("a@3"));
            assertThat(subscription.status().deadLetters()).isZero();
        }

        @Test
        @DisplayName("pause stops processing after the batch in progress, resume goes on; wrong states are refused")
        void pauseAndResume() {
            Sums sums = new Sums();
            sums.broken = false;
            append("a", 1);
            Subscription subscription = start(builder("sums", sums));
            awaitTrue("handled", () -> sums.handled.size() == 1);

            subscription.pause();
            awaitTrue("paused", () -> subscription.state() == Subscription.State.PAUSED);
            assertThat(subscription.status().state()).isEqualTo(SubscriptionStatus.State.PAUSED);
            append("b", 2);
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            assertThat(sums.handled).containsExactly("a@1");
            assertThat(subscription.status().lag()).isPositive();
            assertThat(subscription.status().lagMillis()).isNotNull().isGreaterThanOrEqualTo(0);
            assertThat(catchThrowableOfType(SubscriptionOperationException.class, subscription::pause))
                    .hasMessageContaining("is PAUSED");

            subscription.resume();
            awaitTrue("resumed", () -> sums.handled.size() == 3);
            assertThat(catchThrowableOfType(SubscriptionOperationException.class, subscription::resume))
                    .hasMessageContaining("is RUNNING");
        }

        @Test
        @DisplayName("an operation issued through another instance's subscription reaches the lease holder")
        void operationsReachTheLeaseHolder() {
            Sums holderModel = new Sums();
            holderModel.broken = false;
            Sums standbyModel = new Sums();
            standbyModel.broken = false;
            append("a", 2);
            Subscription holder = start(builder("sums", holderModel));
            awaitTrue("the holder handled both", () -> holderModel.handled.size() == 2);
            Subscription standby = start(builder("sums", standbyModel));
            awaitTrue("the other instance stands by", () -> standby.state() == Subscription.State.STANDBY);
            assertThat(standby.status().owner()).isEqualTo(holder.owner());

            standby.pause();
            awaitTrue("the holder pauses", () -> holder.state() == Subscription.State.PAUSED);
            assertThat(holder.status().state()).isEqualTo(SubscriptionStatus.State.PAUSED);
            standby.reset(0);
            awaitTrue("the holder ran the reset hook and handled both again", () -> holderModel.resets.get() == 1
                    && holderModel.handled.size() == 4);
            assertThat(standbyModel.resets).hasValue(0);
            assertThat(standbyModel.handled).isEmpty();
            assertThat(standby.state()).isEqualTo(Subscription.State.STANDBY);
            assertThat(holder.status().state()).as("a reset resumes").isEqualTo(SubscriptionStatus.State.RUNNING);
        }

        @Test
        @DisplayName("an operation on a subscription that never ran is refused, saying so")
        void refusesOperationsOnASubscriptionThatNeverRan() {
            Subscription never = builder("never", new Sums()).build();
            assertThat(catchThrowableOfType(SubscriptionOperationException.class, never::pause))
                    .hasMessageContaining("'never' has never run");
            assertThat(never.status().state()).isEqualTo(SubscriptionStatus.State.STOPPED);
        }

        private Subscription.Builder builder(String name, Sums sums) {
            return Subscription.builder(name, store, serializer, ProjectionHandler.of(sums))
                    .checkpoints(stores.checkpoints().get()).deadLetters(stores.deadLetters().get())
                    .pollInterval(Duration.ofMillis(10)).maxAttempts(2)
                    .backoff(Duration.ofMillis(5), Duration.ofMillis(10));
        }

        private Subscription start(Subscription.Builder builder) {
            Subscription subscription = builder.build();
            started.add(subscription);
            subscription.start();
            return subscription;
        }

        private void append(String aggregateId, int events) {
            List<Record> records = new ArrayList<>();
            int from;
            try {
                from = store.load(aggregateId, 0, 0).size();
            } catch (dev.eventsource.AggregateNotFoundException e) {
                from = 0;
            }
            for (int v = from + 1; v <= from + events; v++) {
                records.add(serializer.marshal(new Happened(aggregateId, v, Instant.now(), v))
                        .withAggregateType("Thing"));
            }
            store.save(aggregateId, records);
        }
    }

    @Nested
    class OnMemory extends OnStore {
        @Override
        Stores stores() {
            MemoryStore memory = new MemoryStore();
            MemoryCheckpointStore checkpoints = new MemoryCheckpointStore();
            MemoryDeadLetterStore deadLetters = new MemoryDeadLetterStore();
            return new Stores(memory, () -> checkpoints, () -> deadLetters, () -> { });
        }
    }

    abstract static class OnDatabase extends OnStore {
        private final JdbcDialect dialect;

        OnDatabase(JdbcDialect dialect) {
            this.dialect = dialect;
        }

        @Override
        Stores stores() {
            TestDatabases.Database database = TestDatabases.get(dialect);
            String table = TestDatabases.uniqueTable("ops");
            JdbcStore jdbc = JdbcStore.builder(database.pooled()).tableName(table).build();
            jdbc.createSchema();
            // Each call a new store object on the same tables: what another instance has.
            return new Stores(jdbc,
                    () -> JdbcCheckpointStore.of(JdbcStore.builder(database.pooled()).tableName(table).build()),
                    () -> JdbcDeadLetterStore.of(JdbcStore.builder(database.pooled()).tableName(table).build()),
                    () -> TestDatabases.drop(database.pooled(), table));
        }
    }

    @Nested
    class OnH2 extends OnDatabase {
        OnH2() {
            super(JdbcDialect.H2);
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        OnPostgres() {
            super(JdbcDialect.POSTGRESQL);
        }
    }

    @Nested
    class OnMariaDb extends OnDatabase {
        OnMariaDb() {
            super(JdbcDialect.MYSQL);
        }
    }
}
