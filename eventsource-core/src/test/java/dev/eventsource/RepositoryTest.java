package dev.eventsource;

import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepositoryTest {

    static final Instant AT = Instant.parse("2024-03-01T12:00:00.000000123Z");

    /** How often the Account's command handlers ran; tests run one at a time. */
    static final AtomicInteger HANDLED = new AtomicInteger();

    record Opened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    record Deposited(String aggregateId, long version, Instant at, long amount) implements Event {
    }

    record Mentioned(String aggregateId, long version, Instant at, String otherId) implements Event {
    }

    record Open(String aggregateId, String owner) implements Command {
    }

    record Deposit(String aggregateId, long amount) implements Command {
    }

    record DepositTwice(String aggregateId, long amount) implements Command {
    }

    enum Mistake { NO_EVENTS, OTHER_AGGREGATE, WRONG_VERSION, NULL_EVENT, NULL_AT, SECOND_EVENT_WRONG_VERSION }

    record Misbehave(String aggregateId, Mistake mistake) implements Command {
    }

    static class Account extends AggregateRoot {
        String owner;
        long balance;
        final List<Long> versionsSeen = new ArrayList<>();

        @EventHandler
        void on(Opened event) {
            owner = event.owner();
            versionsSeen.add(event.version());
        }

        @EventHandler
        void on(Deposited event) {
            balance += event.amount();
            versionsSeen.add(event.version());
        }

        @CommandHandler
        List<Event> handle(Open command) {
            HANDLED.incrementAndGet();
            return List.of(new Opened(command.aggregateId(), nextVersion(), AT, command.owner()));
        }

        @CommandHandler
        Event handle(Deposit command) {
            HANDLED.incrementAndGet();
            return new Deposited(command.aggregateId(), nextVersion(), AT, command.amount());
        }

        @CommandHandler
        List<Event> handle(DepositTwice command) {
            HANDLED.incrementAndGet();
            return List.of(new Deposited(command.aggregateId(), nextVersion(), AT, command.amount()),
                    new Deposited(command.aggregateId(), nextVersion(), AT, command.amount()));
        }

        @CommandHandler
        List<Event> handle(Misbehave command) {
            HANDLED.incrementAndGet();
            String id = command.aggregateId();
            return switch (command.mistake()) {
                case NO_EVENTS -> List.of();
                case OTHER_AGGREGATE -> List.of(new Deposited("someone-else", nextVersion(), AT, 1));
                case WRONG_VERSION -> List.of(new Deposited(id, version() + 5, AT, 1));
                case NULL_EVENT -> Collections.singletonList(null);
                case NULL_AT -> List.of(new Deposited(id, nextVersion(), null, 1));
                case SECOND_EVENT_WRONG_VERSION ->
                        List.of(new Deposited(id, nextVersion(), AT, 1), new Deposited(id, version() + 1, AT, 1));
            };
        }
    }

    /** An aggregate whose replay looks up another aggregate that does not exist. */
    static class Gossip extends AggregateRoot {
        @EventHandler
        void on(Mentioned event) {
            throw new AggregateNotFoundException(event.otherId());
        }

        @CommandHandler
        Event handle(Open command) {
            return new Mentioned(command.aggregateId(), nextVersion(), AT, "nobody");
        }
    }

    /** Delegates to a MemoryStore; its load fails on purpose. */
    static final class BrokenLoadStore implements Store {
        final MemoryStore delegate = new MemoryStore();
        final RuntimeException failure = new IllegalStateException("disk on fire");

        @Override
        public boolean save(String aggregateId, List<Record> records) {
            return delegate.save(aggregateId, records);
        }

        @Override
        public History load(String aggregateId, long fromVersion, long toVersion) {
            throw failure;
        }

        @Override
        public List<Record> readAll(long afterPosition, int limit) {
            return delegate.readAll(afterPosition, limit);
        }
    }

    /**
     * Delegates to a MemoryStore; before each of its first {@code competing} saves another writer appends a
     * Deposited of 1000 to the same aggregate, so that save meets a conflict deterministically.
     */
    static class CompetingStore implements Store {
        final MemoryStore delegate = new MemoryStore();
        final Serializer serializer = JacksonSerializer.json().bind(Deposited.class);
        int competing;
        int saves;

        CompetingStore(int competing) {
            this.competing = competing;
        }

        @Override
        public boolean save(String aggregateId, List<Record> records) {
            saves++;
            if (competing > 0) {
                competing--;
                long current;
                try {
                    current = delegate.load(aggregateId).version();
                } catch (AggregateNotFoundException none) {
                    current = 0;
                }
                delegate.save(aggregateId, serializer.marshal(new Deposited(aggregateId, current + 1, AT, 1000))
                        .withAggregateType("Account"));
            }
            return delegate.save(aggregateId, records);
        }

        @Override
        public History load(String aggregateId, long fromVersion, long toVersion) {
            return delegate.load(aggregateId, fromVersion, toVersion);
        }

        @Override
        public List<Record> readAll(long afterPosition, int limit) {
            return delegate.readAll(afterPosition, limit);
        }
    }

    static final class RecordingMetrics implements RepositoryMetrics {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void loaded(Class<?> aggregateType, int events, long nanos) {
            assertThat(nanos).isNotNegative();
            calls.add("loaded " + aggregateType.getSimpleName() + " " + events);
        }

        @Override
        public void saved(Class<?> aggregateType, int events, long nanos) {
            assertThat(nanos).isNotNegative();
            calls.add("saved " + aggregateType.getSimpleName() + " " + events);
        }

        @Override
        public void applied(Class<?> aggregateType, RepositoryMetrics.Outcome outcome, long nanos) {
            assertThat(nanos).isNotNegative();
            calls.add("applied " + aggregateType.getSimpleName() + " " + outcome.tagValue());
        }

        @Override
        public void conflict(Class<?> aggregateType) {
            calls.add("conflict " + aggregateType.getSimpleName());
        }

        @Override
        public void retried(Class<?> aggregateType) {
            calls.add("retried " + aggregateType.getSimpleName());
        }
    }

    MemoryStore store;
    Repository<Account> accounts;

    @BeforeEach
    void setUp() {
        HANDLED.set(0);
        store = new MemoryStore();
        accounts = Repository.builder(Account.class).store(store).build();
    }

    List<Record> everything(Store store) {
        return store.readAll(0, 10_000);
    }

    @Nested
    class RoundTrip {

        @Test
        void applyLoadAndReturnTheNewVersion() {
            assertThat(accounts.apply(new Open("acc-1", "Ada"))).isEqualTo(1);
            assertThat(accounts.apply(new Deposit("acc-1", 30))).isEqualTo(2);
            assertThat(accounts.apply(new Deposit("acc-1", 12))).isEqualTo(3);

            Account account = accounts.load("acc-1");

            assertThat(account.owner).isEqualTo("Ada");
            assertThat(account.balance).isEqualTo(42);
            assertThat(account.id()).isEqualTo("acc-1");
            assertThat(account.version()).isEqualTo(3);
            assertThat(account.versionsSeen).containsExactly(1L, 2L, 3L);
        }

        @Test
        void twoEventsFromOneCommandGetConsecutiveVersions() {
            accounts.apply(new Open("acc-1", "Ada"));

            assertThat(accounts.apply(new DepositTwice("acc-1", 5))).isEqualTo(3);

            assertThat(accounts.history("acc-1")).extracting(stored -> stored.event().version()).containsExactly(1L, 2L, 3L);
            assertThat(accounts.load("acc-1").balance).isEqualTo(10);
        }

        @Test
        void firstCommandOnANewAggregateStartsAtVersionOne() {
            assertThat(accounts.apply(new DepositTwice("fresh", 1))).isEqualTo(2);
            assertThat(store.load("fresh")).extracting(Record::version).containsExactly(1L, 2L);
        }

        @Test
        void historyReturnsEventsWithMetadataAndPositions() {
            accounts.apply(new Open("acc-1", "Ada"));
            accounts.apply(new Open("acc-2", "Bob"));
            accounts.apply(new Deposit("acc-1", 3));

            List<StoredEvent> history = accounts.history("acc-1");

            assertThat(history).extracting(StoredEvent::event)
                    .containsExactly(new Opened("acc-1", 1, AT, "Ada"), new Deposited("acc-1", 2, AT, 3));
            assertThat(history).extracting(StoredEvent::position).containsExactly(1L, 3L);
        }

        @Test
        void builderDefaultsToAMemoryStoreAndJsonAndBindsHandlerEventTypes() {
            Repository<Account> defaults = Repository.builder(Account.class).build();

            assertThat(defaults.store()).isInstanceOf(MemoryStore.class);
            assertThat(defaults.serializer()).isInstanceOf(JacksonSerializer.class);
            assertThat(defaults.serializer().format()).isEqualTo(PayloadFormat.JSON);
            JacksonSerializer serializer = (JacksonSerializer) defaults.serializer();
            assertThat(serializer.boundType("Opened")).isEqualTo(Opened.class);
            assertThat(serializer.boundType("Deposited")).isEqualTo(Deposited.class);
            assertThat(serializer.boundType("Mentioned")).isNull();
            assertThat(defaults.aggregateType()).isEqualTo(Account.class);

            defaults.apply(new Open("acc-1", "Ada"));
            assertThat(new String(defaults.store().load("acc-1").get(0).data(), StandardCharsets.UTF_8))
                    .contains("\"owner\":\"Ada\"");
        }

        @Test
        void extraEventTypesAreBoundToo() {
            Repository<Account> repository = Repository.builder(Account.class).events(Mentioned.class).build();

            assertThat(((JacksonSerializer) repository.serializer()).boundType("Mentioned")).isEqualTo(Mentioned.class);
        }

        @Test
        void aCborSerializerRoundTripsThroughTheRepository() {
            Repository<Account> binary = Repository.builder(Account.class).serializer(JacksonSerializer.cbor()).build();
            binary.apply(new Open("acc-1", "Ada"));
            binary.apply(new Deposit("acc-1", 7));

            assertThat(binary.load("acc-1").balance).isEqualTo(7);
        }

        @Test
        void newAggregateIsEmpty() {
            Account account = accounts.newAggregate();

            assertThat(account.id()).isNull();
            assertThat(account.version()).isZero();
            assertThat(accounts.newAggregate()).isNotSameAs(account);
        }

        @Test
        void saveAppendsEventsProducedElsewhere() {
            accounts.save(new Opened("acc-1", 1, AT, "Ada"), new Deposited("acc-1", 2, AT, 9));

            assertThat(accounts.load("acc-1").balance).isEqualTo(9);
            assertThatThrownBy(() -> accounts.save(new Deposited("acc-1", 2, AT, 1)))
                    .isInstanceOf(ConcurrencyConflictException.class)
                    .hasMessageContaining("'acc-1'");
            assertThatThrownBy(() -> accounts.save(new Deposited("acc-1", 3, AT, 1), null))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("index 1");
            assertThat(store.load("acc-1").version()).isEqualTo(2);
        }
    }

    @Nested
    class BadInput {

        @Test
        void nullCommandIsRefusedAndNothingIsStored() {
            assertThatThrownBy(() -> accounts.apply(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("null command");
            assertThat(everything(store)).isEmpty();
        }

        @Test
        void nullOrBlankAggregateIdIsRefusedAndNothingIsStored() {
            for (String id : new String[] {null, "", "   ", "\t"}) {
                assertThatThrownBy(() -> accounts.apply(new Open(id, "Ada")))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("Aggregate id must not be null or blank");
                assertThatThrownBy(() -> accounts.load(id)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> accounts.history(id)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(HANDLED).hasValue(0);
            assertThat(everything(store)).isEmpty();
        }

        @Test
        void loadOfAnUnknownAggregateIsNotFound() {
            assertThatThrownBy(() -> accounts.load("ghost"))
                    .isInstanceOf(AggregateNotFoundException.class)
                    .hasMessageContaining("'ghost'");
            assertThatThrownBy(() -> accounts.history("ghost")).isInstanceOf(AggregateNotFoundException.class);
        }

        @Test
        void noEventsProducedStoresNothing() {
            accounts.apply(new Open("acc-1", "Ada"));

            assertThatThrownBy(() -> accounts.apply(new Misbehave("acc-1", Mistake.NO_EVENTS)))
                    .isInstanceOf(NoEventsProducedException.class)
                    .hasMessageContaining("Misbehave")
                    .hasMessageContaining("'acc-1'");
            assertThat(everything(store)).hasSize(1);
        }

        @Test
        void eventForAnotherAggregate() {
            assertInvalid(Mistake.OTHER_AGGREGATE, "'someone-else'", "not to 'acc-1'");
        }

        @Test
        void eventWithAWrongVersion() {
            assertInvalid(Mistake.WRONG_VERSION, "has version 6", "expected 2");
            assertThatThrownBy(() -> accounts.apply(new Misbehave("acc-1", Mistake.WRONG_VERSION)))
                    .isInstanceOfSatisfying(InvalidEventException.class, failure -> {
                        assertThat(failure.version()).isEqualTo(6);
                        assertThat(failure.eventType()).isNotNull();
                    });
        }

        @Test
        void secondEventWithAWrongVersionStoresNotEvenTheFirst() {
            assertInvalid(Mistake.SECOND_EVENT_WRONG_VERSION, "index 1", "expected 3");
        }

        @Test
        void nullEvent() {
            assertInvalid(Mistake.NULL_EVENT, "index 0", "is null");
        }

        @Test
        void eventWithoutTime() {
            assertInvalid(Mistake.NULL_AT, "Deposited version 2", "at() is null");
        }

        private void assertInvalid(Mistake mistake, String... fragments) {
            List<Event> observed = new ArrayList<>();
            Repository<Account> observedAccounts = Repository.builder(Account.class).store(store)
                    .observers(observed::add).build();
            observedAccounts.apply(new Open("acc-1", "Ada"));
            observed.clear();

            assertThatThrownBy(() -> observedAccounts.apply(new Misbehave("acc-1", mistake)))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("nothing was stored")
                    .satisfies(e -> assertThat(e.getMessage()).contains(fragments))
                    .satisfies(e -> assertThat(((InvalidEventException) e).aggregateId()).isEqualTo("acc-1"));
            assertThat(everything(store)).hasSize(1);
            assertThat(observed).isEmpty();
        }
    }

    @Nested
    class LoadFailures {

        @Test
        void aFailingStoreLoadIsPropagatedNotTurnedIntoANewAggregate() {
            BrokenLoadStore broken = new BrokenLoadStore();
            Repository<Account> repository = Repository.builder(Account.class).store(broken).build();

            assertThatThrownBy(() -> repository.apply(new Open("acc-1", "Ada"))).isSameAs(broken.failure);
            assertThat(HANDLED).hasValue(0);
            assertThat(everything(broken)).isEmpty();
        }

        @Test
        void aStoredEventOfAnUnknownTypeIsPropagated() {
            accounts.apply(new Open("acc-1", "Ada"));
            store.save("acc-1", Record.of("Account", "acc-1", 2, "Mystery", AT, "{}".getBytes(StandardCharsets.UTF_8)));

            assertThatThrownBy(() -> accounts.apply(new Deposit("acc-1", 5)))
                    .isInstanceOf(UnknownEventTypeException.class)
                    .hasMessageContaining("'Mystery'")
                    .hasMessageContaining("'acc-1'");
            assertThatThrownBy(() -> accounts.load("acc-1")).isInstanceOf(UnknownEventTypeException.class);
            assertThat(HANDLED).hasValue(1);
            assertThat(everything(store)).hasSize(2);
        }

        @Test
        void aCorruptStoredPayloadIsPropagated() {
            store.save("acc-1", Record.of("Account", "acc-1", 1, "Opened", AT, "{\"owner\":".getBytes(StandardCharsets.UTF_8)));

            assertThatThrownBy(() -> accounts.apply(new Deposit("acc-1", 5)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Opened version 1 of aggregate 'acc-1'");
            assertThat(everything(store)).hasSize(1);
        }

        @Test
        void aNotFoundForAnotherAggregateDuringReplayIsPropagated() {
            Repository<Gossip> gossip = Repository.builder(Gossip.class).store(store).build();
            store.save("g-1", gossip.serializer().marshal(new Mentioned("g-1", 1, AT, "nobody")).withAggregateType("Gossip"));

            assertThatThrownBy(() -> gossip.apply(new Open("g-1", "x")))
                    .isInstanceOf(AggregateNotFoundException.class)
                    .satisfies(e -> assertThat(((AggregateNotFoundException) e).aggregateId()).isEqualTo("nobody"));
            assertThat(everything(store)).hasSize(1);
        }
    }

    @Nested
    class Conflicts {

        @Test
        void applyReloadsAndRerunsTheHandlerUntilTheAppendSucceeds() {
            CompetingStore competing = new CompetingStore(2);
            RecordingMetrics metrics = new RecordingMetrics();
            Repository<Account> repository = Repository.builder(Account.class).store(competing).metrics(metrics).build();

            long version = repository.apply(new Open("acc-1", "Ada"));

            assertThat(version).isEqualTo(3);
            assertThat(HANDLED).hasValue(3);
            assertThat(competing.saves).isEqualTo(3);
            Account account = repository.load("acc-1");
            assertThat(account.balance).isEqualTo(2000);
            assertThat(account.owner).isEqualTo("Ada");
            assertThat(metrics.calls).filteredOn(call -> call.startsWith("conflict")).hasSize(2);
            assertThat(metrics.calls).filteredOn(call -> call.startsWith("retried")).hasSize(2);
            assertThat(metrics.calls).contains("applied Account success");
        }

        @Test
        void afterMaxRetriesTheConflictIsThrownWithItsVersions() {
            CompetingStore competing = new CompetingStore(3);
            List<Event> observed = new ArrayList<>();
            Repository<Account> repository = Repository.builder(Account.class).store(competing)
                    .maxRetries(2).observers(observed::add).build();

            assertThatThrownBy(() -> repository.apply(new Open("acc-1", "Ada")))
                    .isInstanceOf(ConcurrencyConflictException.class)
                    .hasMessageContaining("'acc-1'")
                    .hasMessageContaining("expected version 2")
                    .hasMessageContaining("at version 3")
                    .satisfies(e -> {
                        ConcurrencyConflictException conflict = (ConcurrencyConflictException) e;
                        assertThat(conflict.aggregateId()).isEqualTo("acc-1");
                        assertThat(conflict.expectedVersion()).isEqualTo(2);
                        assertThat(conflict.actualVersion()).isEqualTo(3);
                    });
            assertThat(HANDLED).hasValue(3);
            assertThat(everything(competing)).extracting(Record::type).containsOnly("Deposited").hasSize(3);
            assertThat(observed).isEmpty();
        }

        @Test
        void maxRetriesZeroThrowsOnTheFirstConflict() {
            CompetingStore competing = new CompetingStore(1);
            Repository<Account> repository = Repository.builder(Account.class).store(competing).maxRetries(0).build();

            assertThatThrownBy(() -> repository.apply(new Open("acc-1", "Ada")))
                    .isInstanceOf(ConcurrencyConflictException.class);
            assertThat(HANDLED).hasValue(1);
            assertThat(everything(competing)).hasSize(1);
        }

        @Test
        void negativeMaxRetriesIsRefused() {
            assertThatThrownBy(() -> Repository.builder(Account.class).maxRetries(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxRetries")
                    .hasMessageContaining("-1");
        }

        @Test
        void eightThreadsApplyingFiftyCommandsEachToOneAggregateLoseNothing() throws Exception {
            // Every conflict is retried: under this contention a thread may lose more often than the default allows.
            Repository<Account> contended = Repository.builder(Account.class).store(store)
                    .maxRetries(Integer.MAX_VALUE).build();
            int threads = 8;
            int perThread = 50;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            // identical commands produce identical events (same payload, same time): each must
                            // still be stored once, never taken for an idempotent re-save of a competitor's event
                            contended.apply(new Deposit("shared", 1));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }

            History history = store.load("shared");
            assertThat(history).hasSize(threads * perThread);
            assertThat(history).extracting(Record::version)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
            assertThat(contended.load("shared").balance).isEqualTo((long) threads * perThread);
        }

        @Test
        void identicalEventsFromTwoCommandsAreBothStored() {
            CompetingStore competing = new CompetingStore(1);
            Repository<Account> repository = Repository.builder(Account.class).store(competing).build();

            // the competitor appends Deposited(acc-1, 1, AT, 1000): exactly what this command produces
            assertThat(repository.apply(new Deposit("acc-1", 1000))).isEqualTo(2);

            assertThat(repository.load("acc-1").balance).isEqualTo(2000);
        }
    }

    @Nested
    class RetryPauses {

        @Test
        void theDefaultRetryIsTheDocumentedBackoff() {
            assertThat(Repository.builder(Account.class).build().retry()).isEqualTo(Repository.Builder.DEFAULT_RETRY)
                    .isEqualTo(Backoff.exponential(Repository.Builder.DEFAULT_RETRY_FIRST_BACKOFF,
                            Repository.Builder.DEFAULT_RETRY_MAX_BACKOFF)
                            .withJitter(Repository.Builder.DEFAULT_RETRY_JITTER)
                            .withMaxAttempts(Repository.Builder.DEFAULT_MAX_RETRIES + 1));
        }

        @Test
        void maxRetriesKeepsThePausesAndSetsTheTries() {
            Backoff pauses = Backoff.exponential(Duration.ofMillis(3), Duration.ofMillis(9)).withJitter(0.5)
                    .withTimeBudget(Duration.ofSeconds(4));

            Repository<Account> repository = Repository.builder(Account.class).retry(pauses).maxRetries(2).build();

            assertThat(repository.retry()).isEqualTo(pauses.withMaxAttempts(3));
        }

        @Test
        void theFirstRetryFollowsAtOnceAndLaterOnesPause() {
            CompetingStore competing = new CompetingStore(3);
            Repository<Account> repository = Repository.builder(Account.class).store(competing)
                    .retry(Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(100))).build();

            long started = System.nanoTime();
            assertThat(repository.apply(new Open("acc-1", "Ada"))).isEqualTo(4);

            // no pause before the first retry, 100 ms before each of the two after it (a sleep never ends early)
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(HANDLED).hasValue(4);
        }

        @Test
        void theTimeBudgetEndsTheRetries() {
            CompetingStore competing = new CompetingStore(Integer.MAX_VALUE);
            RecordingMetrics metrics = new RecordingMetrics();
            Repository<Account> repository = Repository.builder(Account.class).store(competing).metrics(metrics)
                    .retry(Backoff.exponential(Duration.ofMillis(25), Duration.ofMillis(25))
                            .withTimeBudget(Duration.ofMillis(100)))
                    .build();

            assertThatThrownBy(() -> repository.apply(new Open("acc-1", "Ada")))
                    .isInstanceOf(ConcurrencyConflictException.class);
            // the first try, one retry at once, then pauses of 25 ms (the last one cut to the budget): at most 2 + 4;
            // without the budget it would be 101 tries
            assertThat(HANDLED.get()).isBetween(1, 6);
            assertThat(metrics.calls).contains("applied Account conflict");
        }

        @Test
        void retriesReloadWithLoadLatest() {
            List<String> loads = new CopyOnWriteArrayList<>();
            CompetingStore competing = new CompetingStore(2) {
                @Override
                public History load(String aggregateId, long fromVersion, long toVersion) {
                    loads.add("load");
                    return super.load(aggregateId, fromVersion, toVersion);
                }

                @Override
                public History loadLatest(String aggregateId, long fromVersion, long toVersion) {
                    loads.add("loadLatest");
                    return super.load(aggregateId, fromVersion, toVersion);
                }
            };
            Repository<Account> repository = Repository.builder(Account.class).store(competing).build();

            repository.apply(new Open("acc-1", "Ada"));

            assertThat(loads).containsExactly("load", "loadLatest", "loadLatest");
        }

        @Test
        void aReloadThatCannotSeeTheCompetitorEndsTheRetriesAtOnceAndSaysWhy() {
            // A store whose reads come from a snapshot taken at its first load, as a REPEATABLE READ transaction's.
            CompetingStore competing = new CompetingStore(1) {
                History snapshot;

                @Override
                public History load(String aggregateId, long fromVersion, long toVersion) {
                    if (snapshot == null) {
                        try {
                            snapshot = super.load(aggregateId, fromVersion, toVersion);
                        } catch (AggregateNotFoundException none) {
                            snapshot = History.of(List.of());
                        }
                    }
                    return snapshot;
                }
            };
            RecordingMetrics metrics = new RecordingMetrics();
            Repository<Account> repository = Repository.builder(Account.class).store(competing).metrics(metrics)
                    .maxRetries(100).build();

            assertThatThrownBy(() -> repository.apply(new Open("acc-1", "Ada")))
                    .isInstanceOf(StaleReadConflictException.class)
                    .hasMessageContaining("'acc-1'")
                    .hasMessageContaining("no retry in this transaction can resolve")
                    .hasMessageContaining("read version 0 again")
                    .hasMessageContaining("READ COMMITTED")
                    .satisfies(e -> {
                        StaleReadConflictException stale = (StaleReadConflictException) e;
                        assertThat(stale.expectedVersion()).isZero();
                        assertThat(stale.actualVersion()).isEqualTo(1);
                        assertThat(stale.getCause()).isInstanceOf(ConcurrencyConflictException.class);
                    });
            assertThat(HANDLED).as("the handler ran once; the stale reload ended it").hasValue(1);
            assertThat(metrics.calls).filteredOn(call -> call.startsWith("retried")).hasSize(1);
        }

        @Test
        void aStaleReadReportedByTheStoreIsNotRetried() {
            MemoryStore memory = new MemoryStore();
            Store stale = new Store() {
                @Override
                public boolean save(String aggregateId, List<Record> records) {
                    throw new StaleReadConflictException(aggregateId, 0, 1, "roll back and run again", null);
                }

                @Override
                public History load(String aggregateId, long fromVersion, long toVersion) {
                    return memory.load(aggregateId, fromVersion, toVersion);
                }

                @Override
                public List<Record> readAll(long afterPosition, int limit) {
                    return memory.readAll(afterPosition, limit);
                }
            };
            Repository<Account> repository = Repository.builder(Account.class).store(stale).build();

            assertThatThrownBy(() -> repository.apply(new Open("acc-1", "Ada")))
                    .isInstanceOf(StaleReadConflictException.class).hasMessageContaining("roll back and run again");
            assertThatThrownBy(() -> repository.apply(new Open("acc-1", "Ada")))
                    .isInstanceOf(StaleReadConflictException.class);
            assertThat(HANDLED).hasValue(2);
        }
    }

    @Nested
    class ObserversMetadataAndMetrics {

        @Test
        void observersSeeEachEventAfterItIsStored() {
            List<String> seen = new ArrayList<>();
            Repository<Account> repository = Repository.builder(Account.class).store(store)
                    .observers(event -> seen.add("first " + event.version() + " stored=" + store.load(event.aggregateId()).version()),
                            event -> seen.add("second " + event.version()))
                    .build();
            repository.apply(new Open("acc-1", "Ada"));

            repository.apply(new DepositTwice("acc-1", 1));

            assertThat(seen).containsExactly("first 1 stored=1", "second 1",
                    "first 2 stored=3", "second 2", "first 3 stored=3", "second 3");
        }

        @Test
        void observersSeeOnlyTheAppendThatSucceededAfterConflicts() {
            CompetingStore competing = new CompetingStore(2);
            List<Event> seen = new ArrayList<>();
            Repository<Account> repository = Repository.builder(Account.class).store(competing)
                    .observers(seen::add).build();

            repository.apply(new Open("acc-1", "Ada"));

            assertThat(seen).containsExactly(new Opened("acc-1", 3, AT, "Ada"));
        }

        @Test
        void anObserverFailureReachesTheCallerButTheEventsStayStored() {
            RuntimeException boom = new IllegalStateException("observer failed");
            Repository<Account> repository = Repository.builder(Account.class).store(store)
                    .observers(event -> {
                        throw boom;
                    }).build();

            assertThatThrownBy(() -> repository.apply(new Open("acc-1", "Ada"))).isSameAs(boom);
            assertThat(store.load("acc-1").version()).isEqualTo(1);
        }

        @Test
        void anObserverThrowingAConflictDoesNotRunTheCommandAgain() {
            // An observer runs after the append: even a ConcurrencyConflictException from it (say, from another
            // repository it calls) must not send the command round the retry loop and append it twice.
            ConcurrencyConflictException fromObserver = new ConcurrencyConflictException("other", 1, 2);
            List<RepositoryMetrics.Outcome> outcomes = new ArrayList<>();
            Repository<Account> repository = Repository.builder(Account.class).store(store)
                    .metrics(new RepositoryMetrics() {
                        @Override
                        public void applied(Class<?> aggregateType, RepositoryMetrics.Outcome outcome, long nanos) {
                            outcomes.add(outcome);
                        }
                    })
                    .observers(event -> {
                        throw fromObserver;
                    }).build();

            assertThatThrownBy(() -> repository.apply(new Open("acc-1", "Ada"))).isSameAs(fromObserver);
            assertThat(store.load("acc-1")).hasSize(1);
            assertThat(outcomes).containsExactly(RepositoryMetrics.Outcome.SUCCESS);
        }

        @Test
        void metadataIsStoredWithEveryEventAndComesBackThroughHistory() {
            AtomicInteger calls = new AtomicInteger();
            Repository<Account> repository = Repository.builder(Account.class).store(store)
                    .metadata(() -> Map.of("user", "ada", "call", String.valueOf(calls.incrementAndGet())))
                    .build();

            repository.apply(new Open("acc-1", "Ada"));
            repository.apply(new DepositTwice("acc-1", 2));

            assertThat(repository.history("acc-1")).extracting(StoredEvent::metadata).containsExactly(
                    Map.of("user", "ada", "call", "1"),
                    Map.of("user", "ada", "call", "2"),
                    Map.of("user", "ada", "call", "2"));
            assertThat(store.load("acc-1")).extracting(record -> record.metadata().get("user")).containsOnly("ada");
        }

        @Test
        void aNullMetadataMapMeansNone() {
            Repository<Account> repository = Repository.builder(Account.class).store(store).metadata(() -> null).build();

            repository.apply(new Open("acc-1", "Ada"));

            assertThat(repository.history("acc-1").get(0).metadata()).isEmpty();
        }

        @Test
        void metricsAreToldWhatHappened() {
            RecordingMetrics metrics = new RecordingMetrics();
            Repository<Account> repository = Repository.builder(Account.class).store(store).metrics(metrics).build();

            repository.apply(new Open("acc-1", "Ada"));
            repository.apply(new DepositTwice("acc-1", 1));
            assertThatThrownBy(() -> repository.apply(new Misbehave("acc-1", Mistake.NO_EVENTS)));
            assertThatThrownBy(() -> repository.apply(new Misbehave("acc-1", Mistake.NULL_EVENT)));
            repository.load("acc-1");

            assertThat(metrics.calls).containsExactly(
                    "loaded Account 0", "saved Account 1", "applied Account success",
                    "loaded Account 1", "saved Account 2", "applied Account success",
                    "loaded Account 3", "applied Account no-events",
                    "loaded Account 3", "applied Account error",
                    "loaded Account 3");
        }
    }
}
