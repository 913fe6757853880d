package dev.eventsource.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.Event;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Serializer;
import dev.eventsource.Snapshot;
import dev.eventsource.SnapshotStore;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.snapshot.Ledger;
import dev.eventsource.autoconfigure.snapshot.Tally;
import dev.eventsource.micrometer.EventSourceMeters;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemorySnapshotStore;
import dev.eventsource.store.memory.MemoryStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Snapshots in the auto-configuration: which repositories get them ({@code @Snapshotting},
 * {@code eventsource.snapshots.*}), the memory snapshot store and the shared executor, and the start-up failures of
 * snapshots asked for but impossible. The test aggregates: {@link Ledger} ({@code @Snapshotting(every = 10)}) and
 * {@link Tally} (not annotated).
 */
class SnapshotConfigurationTests {

    private static final String LEDGER = "Ledger";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.snapshot")
        .withUserConfiguration(Meters.class);

    @Test
    void anAnnotatedAggregateGetsSnapshotsInTheMemorySnapshotStore() {
        this.contextRunner.run((context) -> {
            assertThat(context).getBean(Store.class).isInstanceOf(MemoryStore.class);
            assertThat(context).getBean(SnapshotStore.class).isInstanceOf(MemorySnapshotStore.class);
            Repository<Ledger> ledgers = repository(context, Ledger.class);
            deposit(context, ledgers, "l-1", 25);

            Snapshot snapshot = context.getBean(SnapshotStore.class).load(LEDGER, "l-1");
            assertThat(snapshot).isNotNull();
            assertThat(snapshot.version()).as("snapshots after 10 and 20 events").isEqualTo(20);
            assertThat(snapshot.revision()).isEqualTo(1);
            double replayedBefore = replayed(context, LEDGER).totalAmount();
            Ledger loaded = ledgers.load("l-1");
            assertThat(replayed(context, LEDGER).totalAmount() - replayedBefore).as("events replayed by the load")
                .isEqualTo(5);
            assertThat(loaded.state()).isEqualTo(withoutSnapshots(context, Ledger.class).load("l-1").state())
                .startsWith("v25 balance 325 entries 25");
            assertThat(snapshots(context, LEDGER, "taken").count()).isEqualTo(2);
            assertThat(snapshots(context, LEDGER, "hit").count()).isPositive();
            // Not annotated and not configured: no snapshots, not even looked for.
            repository(context, Tally.class).apply(new Tally.Add("t-1", 1));
            assertThat(context.getBean(MeterRegistry.class).find(EventSourceMeters.SNAPSHOTS)
                .tag(EventSourceMeters.AGGREGATE_TAG, "Tally").counters()).isEmpty();
        });
    }

    @Test
    void propertiesOverrideEveryAndRevisionOfTheAnnotation() {
        this.contextRunner
            .withPropertyValues("eventsource.snapshots.aggregates.Ledger.every=3",
                    "eventsource.snapshots.aggregates.Ledger.revision=4")
            .run((context) -> {
                deposit(context, repository(context, Ledger.class), "l-1", 7);
                Snapshot snapshot = context.getBean(SnapshotStore.class).load(LEDGER, "l-1");
                assertThat(snapshot).isNotNull();
                assertThat(snapshot.version()).as("snapshots after 3 and 6 events").isEqualTo(6);
                assertThat(snapshot.revision()).isEqualTo(4);
            });
    }

    @Test
    void raisingTheRevisionIgnoresTheStoredSnapshotsAndReplacesThem() {
        SharedStores stores = new SharedStores();
        ApplicationContextRunner shared = this.contextRunner.withBean(Store.class, () -> stores.events)
            .withBean(SnapshotStore.class, () -> stores.snapshots);
        shared.run((context) -> deposit(context, repository(context, Ledger.class), "l-1", 10));
        assertThat(stores.snapshots.load(LEDGER, "l-1")).extracting(Snapshot::version, Snapshot::revision)
            .containsExactly(10L, 1);

        shared.withPropertyValues("eventsource.snapshots.aggregates.Ledger.revision=2").run((context) -> {
            Repository<Ledger> ledgers = repository(context, Ledger.class);
            assertThat(ledgers.load("l-1").state()).startsWith("v10 balance 55 entries 10");
            assertThat(snapshots(context, LEDGER, "stale").count()).as("the revision 1 snapshot is not read")
                .isPositive();
            assertThat(snapshots(context, LEDGER, "hit").count()).isZero();
            awaitSnapshots(context);
            assertThat(stores.snapshots.load(LEDGER, "l-1")).as("replaced at the same version by the next snapshot")
                .extracting(Snapshot::version, Snapshot::revision).containsExactly(10L, 2);
            deposit(context, ledgers, "l-1", 1);
            double replayedBefore = replayed(context, LEDGER).totalAmount();
            assertThat(ledgers.load("l-1").state()).startsWith("v11 balance 56 entries 11");
            assertThat(snapshots(context, LEDGER, "hit").count()).isPositive();
            assertThat(replayed(context, LEDGER).totalAmount() - replayedBefore).as("only the event after it")
                .isEqualTo(1);
        });
    }

    @Test
    void noRepositoryTakesOrReadsSnapshotsWhenDisabled() {
        this.contextRunner
            .withPropertyValues("eventsource.snapshots.enabled=false", "eventsource.snapshots.aggregates.Tally.every=2")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(SnapshotStore.class).doesNotHaveBean(SnapshotExecutor.class);
                deposit(context, repository(context, Ledger.class), "l-1", 15);
                repository(context, Tally.class).apply(new Tally.Add("t-1", 1));
                repository(context, Tally.class).apply(new Tally.Add("t-1", 1));
                double replayedBefore = replayed(context, LEDGER).totalAmount();
                repository(context, Ledger.class).load("l-1");
                assertThat(replayed(context, LEDGER).totalAmount() - replayedBefore).as("the load replayed every event")
                    .isEqualTo(15);
                assertThat(context.getBean(MeterRegistry.class).find(EventSourceMeters.SNAPSHOTS).counters()).isEmpty();
            });
    }

    @Test
    void oneTypeIsTurnedOffByItsEnabledProperty() {
        this.contextRunner.withPropertyValues("eventsource.snapshots.aggregates.Ledger.enabled=false")
            .run((context) -> {
                deposit(context, repository(context, Ledger.class), "l-1", 12);
                assertThat(context.getBean(SnapshotStore.class).load(LEDGER, "l-1")).isNull();
                assertThat(context.getBean(MeterRegistry.class).find(EventSourceMeters.SNAPSHOTS).counters()).isEmpty();
            });
    }

    @Test
    void aPropertyTurnsSnapshotsOnForAClassWithoutTheAnnotation() {
        // The key in the form an environment variable gives (EVENTSOURCE_SNAPSHOTS_AGGREGATES_TALLY_EVERY).
        this.contextRunner.withPropertyValues("eventsource.snapshots.aggregates.tally.every=4").run((context) -> {
            Repository<Tally> tallies = repository(context, Tally.class);
            for (int i = 1; i <= 9; i++) {
                tallies.apply(new Tally.Add("t-1", i));
                awaitSnapshots(context);
            }
            Snapshot snapshot = context.getBean(SnapshotStore.class).load("Tally", "t-1");
            assertThat(snapshot).isNotNull();
            assertThat(snapshot.version()).isEqualTo(8);
            assertThat(tallies.load("t-1").state()).isEqualTo("v9 total 45");
            assertThat(snapshots(context, "Tally", "hit").count()).isPositive();
        });
    }

    @Test
    void enabledAloneTurnsSnapshotsOnWithTheDefaults() {
        this.contextRunner.withPropertyValues("eventsource.snapshots.aggregates.Tally.enabled=true").run((context) -> {
            repository(context, Tally.class).apply(new Tally.Add("t-1", 1));
            repository(context, Tally.class).load("t-1");
            assertThat(snapshots(context, "Tally", "miss").count()).as("loads looked for a snapshot").isEqualTo(2);
            assertThat(context.getBean(SnapshotStore.class).load("Tally", "t-1")).as("every 50 by default").isNull();
        });
    }

    @Test
    void theExecutorHasTheConfiguredThreadsAndQueueAndSkipsSnapshotsBeyondThem() {
        BlockingSnapshotStore blocking = new BlockingSnapshotStore();
        this.contextRunner.withBean(SnapshotStore.class, () -> blocking)
            .withPropertyValues("eventsource.snapshots.executor.threads=2",
                    "eventsource.snapshots.executor.queue-capacity=1",
                    "eventsource.snapshots.aggregates.Ledger.every=1")
            .run((context) -> {
                SnapshotExecutor executor = context.getBean(SnapshotExecutor.class);
                assertThat(executor.getThreads()).isEqualTo(2);
                assertThat(executor.getQueueCapacity()).isEqualTo(1);
                Repository<Ledger> ledgers = repository(context, Ledger.class);
                try {
                    ledgers.apply(new Ledger.Deposit("l-1", 1, "one"));
                    ledgers.apply(new Ledger.Deposit("l-2", 1, "two"));
                    await().atMost(Duration.ofSeconds(30)).until(() -> blocking.entered.get() == 2);
                    ledgers.apply(new Ledger.Deposit("l-3", 1, "three"));
                    assertThat(executor.getPending()).as("two being taken, one waiting").isEqualTo(3);

                    // Both threads busy, the queue full: the snapshot is skipped, the command goes through.
                    assertThat(ledgers.apply(new Ledger.Deposit("l-4", 1, "four"))).isEqualTo(1);
                    assertThat(snapshots(context, LEDGER, "skipped").count()).isEqualTo(1);
                    assertThat(ledgers.load("l-4").state()).startsWith("v1 balance 1");
                }
                finally {
                    blocking.release.countDown();
                }
                awaitSnapshots(context);
                assertThat(blocking.threads).hasSize(2).allSatisfy((thread) -> assertThat(thread.getName())
                    .startsWith("eventsource-snapshots-"));
                assertThat(List.of("l-1", "l-2", "l-3", "l-4"))
                    .map((id) -> blocking.load(LEDGER, id) != null).containsExactly(true, true, true, false);
                // Skipped, not lost: the next command takes it.
                ledgers.apply(new Ledger.Deposit("l-4", 1, "four again"));
                awaitSnapshots(context);
                assertThat(blocking.load(LEDGER, "l-4")).extracting(Snapshot::version).isEqualTo(2L);
            });
    }

    @Test
    void theExecutorShutsDownWithTheContext() {
        BlockingSnapshotStore recording = new BlockingSnapshotStore();
        recording.release.countDown();
        AtomicReference<SnapshotExecutor> executor = new AtomicReference<>();
        this.contextRunner.withBean(SnapshotStore.class, () -> recording).run((context) -> {
            executor.set(context.getBean(SnapshotExecutor.class));
            deposit(context, repository(context, Ledger.class), "l-1", 10);
            assertThat(recording.delegate.load(LEDGER, "l-1")).isNotNull();
        });
        assertThat(executor.get().isShutdown()).isTrue();
        assertThat(recording.threads).singleElement().satisfies((thread) -> {
            thread.join(10_000); // a worker ends just after its pool reports termination
            assertThat(thread.isAlive()).as(thread.getName() + " alive").isFalse();
        });
        assertThatExceptionOfType(RejectedExecutionException.class)
            .isThrownBy(() -> executor.get().execute(() -> { }));
    }

    @Test
    void failsWithAnalyzedMessageWhenSnapshotsAreAskedForWithoutASnapshotStore() {
        this.contextRunner.withUserConfiguration(EventStoreOfItsOwn.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(SnapshotConfigurationException.class);
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("Aggregate Ledger gets snapshots (@Snapshotting on " + Ledger.class.getName()
                        + ") but the application context has no SnapshotStore bean (the event store is a "
                        + EventStoreOfItsOwn.OwnStore.class.getName() + ")")
                .contains("Define a SnapshotStore bean")
                .contains("eventsource.snapshots.aggregates.Ledger.enabled=false")
                .contains("eventsource.snapshots.enabled=false");
        });
    }

    @Test
    void startsWithoutASnapshotStoreWhenNoAggregateAsksForSnapshots() {
        this.contextRunner.withUserConfiguration(EventStoreOfItsOwn.class)
            .withPropertyValues("eventsource.snapshots.aggregates.Ledger.enabled=false")
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(SnapshotStore.class);
                assertThat(repository(context, Ledger.class).apply(new Ledger.Deposit("l-1", 1, "one"))).isEqualTo(1);
            });
        this.contextRunner.withUserConfiguration(EventStoreOfItsOwn.class)
            .withPropertyValues("eventsource.snapshots.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void failsWithAnalyzedMessageWhenTheSerializerCannotWriteState() {
        this.contextRunner.withBean(Serializer.class, EventsOnlySerializer::new).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("Aggregate Ledger gets snapshots (@Snapshotting on " + Ledger.class.getName()
                        + ") but the Serializer bean, a " + EventsOnlySerializer.class.getName()
                        + ", cannot write aggregate state")
                .contains("Define the Serializer bean as a JacksonSerializer");
        });
    }

    @Test
    void failsWithAnalyzedMessageWhenSettingsNameNoAggregate() {
        this.contextRunner.withPropertyValues("eventsource.snapshots.aggregates.Ledgr.every=5").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("eventsource.snapshots.aggregates.Ledgr names no aggregate type of this application "
                        + "(its aggregates: Ledger, Tally)")
                .contains("Use the aggregate's type name");
        });
    }

    @Test
    void failsWithAnalyzedMessageWhenTwoKeysNameOneAggregate() {
        this.contextRunner
            .withPropertyValues("eventsource.snapshots.aggregates.Ledger.every=5",
                    "eventsource.snapshots.aggregates.[ledger].every=6")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("eventsource.snapshots.aggregates has both 'Ledger' and 'ledger', which name the same "
                            + "aggregate type")
                    .contains("Keep the settings of the type under one key");
            });
    }

    @Test
    void failsAtStartUpOnANegativeEvery() {
        this.contextRunner.withPropertyValues("eventsource.snapshots.aggregates.Ledger.every=-1").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("eventsource.snapshots.aggregates.<type>.every must be 0 (never) or more, got -1");
        });
    }

    @Test
    void aCustomizerRunsAfterTheSnapshotSettingsAndMayReplaceThem() {
        MemorySnapshotStore own = new MemorySnapshotStore();
        this.contextRunner
            .withBean(RepositoryCustomizer.class, () -> (builder) -> builder.snapshots(own))
            .run((context) -> {
                deposit(context, repository(context, Ledger.class), "l-1", 10);
                assertThat(own.load(LEDGER, "l-1")).isNotNull();
                assertThat(context.getBean(SnapshotStore.class).load(LEDGER, "l-1")).isNull();
            });
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** Deposits 1, 2, ..., n, waiting after each command until its snapshot, if one was due, is stored. */
    private static void deposit(ApplicationContext context, Repository<Ledger> ledgers, String id, int n) {
        for (int i = 1; i <= n; i++) {
            ledgers.apply(new Ledger.Deposit(id, i, "deposit " + i));
            awaitSnapshots(context);
        }
    }

    static void awaitSnapshots(ApplicationContext context) {
        SnapshotExecutor executor = context.getBeanProvider(SnapshotExecutor.class).getIfAvailable();
        if (executor != null) {
            await().atMost(Duration.ofSeconds(30)).until(() -> executor.getPending() == 0);
        }
    }

    @SuppressWarnings("unchecked")
    static <A extends Aggregate> Repository<A> repository(ApplicationContext context, Class<A> type) {
        return (Repository<A>) context.getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, type))
            .getObject();
    }

    /** @return a repository of the same events without snapshots, the reference */
    static <A extends Aggregate> Repository<A> withoutSnapshots(ApplicationContext context, Class<A> type) {
        return Repository.builder(type).store(context.getBean(Store.class))
            .serializer(context.getBean(Serializer.class)).build();
    }

    private static DistributionSummary replayed(AssertableApplicationContext context, String aggregate) {
        return context.getBean(MeterRegistry.class).get(EventSourceMeters.EVENTS_REPLAYED)
            .tag(EventSourceMeters.AGGREGATE_TAG, aggregate).summary();
    }

    private static Counter snapshots(AssertableApplicationContext context, String aggregate, String outcome) {
        Counter counter = context.getBean(MeterRegistry.class).find(EventSourceMeters.SNAPSHOTS)
            .tag(EventSourceMeters.AGGREGATE_TAG, aggregate).tag(EventSourceMeters.OUTCOME_TAG, outcome).counter();
        return (counter != null) ? counter
                : Counter.builder("none").register(new SimpleMeterRegistry());
    }

    @Configuration(proxyBeanMethods = false)
    static class Meters {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** An event store that is not the memory store, so that no snapshot store comes with it. */
    @Configuration(proxyBeanMethods = false)
    static class EventStoreOfItsOwn {

        @Bean
        Store ownStore() {
            return new OwnStore();
        }

        static final class OwnStore implements Store {

            private final MemoryStore memory = new MemoryStore();

            @Override
            public boolean save(String aggregateId, List<Record> records) {
                return this.memory.save(aggregateId, records);
            }

            @Override
            public dev.eventsource.History load(String aggregateId, long fromVersion, long toVersion) {
                return this.memory.load(aggregateId, fromVersion, toVersion);
            }

            @Override
            public List<Record> readAll(long afterPosition, int limit) {
                return this.memory.readAll(afterPosition, limit);
            }
        }
    }

    /** A serializer of events that cannot write aggregate state (no StateSerializer). */
    static final class EventsOnlySerializer implements Serializer {

        private final JacksonSerializer delegate = JacksonSerializer.json();

        @Override
        public Serializer bind(Class<?>... eventTypes) {
            this.delegate.bind(eventTypes);
            return this;
        }

        @Override
        public Record marshal(Event event) {
            return this.delegate.marshal(event);
        }

        @Override
        public Event unmarshal(Record record) {
            return this.delegate.unmarshal(record);
        }

        @Override
        public PayloadFormat format() {
            return this.delegate.format();
        }
    }

    /** Events and snapshots that outlive one application context, as a database keeps them. */
    static final class SharedStores {

        final MemoryStore events = new MemoryStore();

        final MemorySnapshotStore snapshots = new MemorySnapshotStore();
    }

    /** A memory snapshot store whose saves wait until released, recording the threads that call them. */
    static final class BlockingSnapshotStore implements SnapshotStore {

        final MemorySnapshotStore delegate = new MemorySnapshotStore();

        final AtomicInteger entered = new AtomicInteger();

        final CountDownLatch release = new CountDownLatch(1);

        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        public @Nullable Snapshot load(String aggregateType, String aggregateId) {
            return this.delegate.load(aggregateType, aggregateId);
        }

        @Override
        public boolean save(Snapshot snapshot) {
            this.threads.add(Thread.currentThread());
            this.entered.incrementAndGet();
            try {
                if (!this.release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            return this.delegate.save(snapshot);
        }

        @Override
        public int deleteAll(String aggregateType) {
            return this.delegate.deleteAll(aggregateType);
        }
    }
}
