package dev.eventsource.autoconfigure.snapshot;

import dev.eventsource.Command;
import dev.eventsource.Repository;
import dev.eventsource.Serializer;
import dev.eventsource.Snapshot;
import dev.eventsource.SnapshotStore;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.SnapshotExecutor;
import dev.eventsource.micrometer.EventSourceMeters;
import dev.eventsource.store.memory.MemorySnapshotStore;
import dev.eventsource.store.memory.MemoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Snapshots in a Spring application on the memory store, with commands applied with and without
 * {@code @Transactional} around them (a JDBC transaction manager, which the memory store joins): every result, and
 * every loaded state, is the one a repository without snapshots gives; a snapshot due inside a transaction is taken
 * once it ended, of the committed state.
 */
@SpringBootTest(classes = SnapshotApplication.class, properties = { "eventsource.store.type=memory",
        "spring.datasource.url=jdbc:h2:mem:snapshot-transactions;DB_CLOSE_DELAY=-1" })
@Timeout(120)
class SnapshotTransactionTests {

    @Autowired
    Repository<Ledger> ledgers;

    @Autowired
    LedgerService service;

    @Autowired
    SnapshotStore snapshots;

    @Autowired
    SnapshotExecutor executor;

    @Autowired
    Store store;

    @Autowired
    Serializer serializer;

    @Autowired
    MeterRegistry meters;

    @Autowired
    PlatformTransactionManager transactionManager;

    @BeforeEach
    void awaitEarlierSnapshots() {
        awaitSnapshots();
    }

    @Test
    void runsOnTheMemoryStoreWithATransactionManagerAndTheMemorySnapshotStore() {
        assertThat(this.store).isInstanceOf(MemoryStore.class);
        assertThat(this.snapshots).isInstanceOf(MemorySnapshotStore.class);
        assertThat(this.transactionManager).isInstanceOf(DataSourceTransactionManager.class);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3 })
    void randomCommandsWithAndWithoutTransactionsGiveTheResultsOfARepositoryWithoutSnapshots(long seed) {
        Random random = new Random(seed);
        List<String> ids = List.of(id(), id(), id());
        // The reference: the same commands on a repository without snapshots and without transactions, where
        // a rolled-back transaction's commands are not applied at all.
        Repository<Ledger> reference = Repository.builder(Ledger.class).store(new MemoryStore()).build();
        double hitsBefore = hits();
        for (int step = 0; step < 400; step++) {
            String id = ids.get(random.nextInt(ids.size()));
            Command command = (random.nextInt(4) == 0) ? new Ledger.Withdraw(id, random.nextInt(60), "w" + step)
                    : new Ledger.Deposit(id, 1 + random.nextInt(20), "d" + step);
            Command deposit = new Ledger.Deposit(id, 1, "batch " + step);
            switch (random.nextInt(4)) {
                case 0 -> assertThat(outcome(() -> this.ledgers.apply(command)))
                    .as("step %d outside a transaction", step).isEqualTo(outcome(() -> reference.apply(command)));
                case 1 -> assertThat(outcome(() -> this.service.apply(command)))
                    .as("step %d in a transaction", step).isEqualTo(outcome(() -> reference.apply(command)));
                case 2 -> assertThat(outcome(() -> this.service.applyAll(List.of(command, deposit))))
                    .as("step %d, two commands in a transaction", step)
                    .isEqualTo(outcome(() -> applyAll(reference, command, deposit)));
                default -> assertThatIllegalStateException()
                    .as("step %d, rolled back", step).isThrownBy(() -> this.service.applyAndFail(command));
            }
        }
        awaitSnapshots();
        Repository<Ledger> withoutSnapshots = Repository.builder(Ledger.class).store(this.store)
            .serializer(this.serializer).build();
        for (String id : ids) {
            String expected = reference.load(id).state();
            assertThat(this.ledgers.load(id).state()).as(id).isEqualTo(expected);
            assertThat(withoutSnapshots.load(id).state()).as(id).isEqualTo(expected);
            Snapshot snapshot = this.snapshots.load("Ledger", id);
            assertThat(snapshot).as("snapshot of " + id).isNotNull();
            assertThat(snapshot.version()).isLessThanOrEqualTo(reference.load(id).version());
        }
        assertThat(hits() - hitsBefore).as("loads that started from a snapshot").isPositive();
        // Deleting every snapshot changes no result.
        assertThat(this.snapshots.deleteAll("Ledger")).isPositive();
        for (String id : ids) {
            assertThat(this.ledgers.load(id).state()).isEqualTo(reference.load(id).state());
        }
    }

    @Test
    void aSnapshotDueInsideATransactionIsTakenAfterTheCommit() {
        String id = id();
        for (int i = 1; i <= 9; i++) {
            this.ledgers.apply(new Ledger.Deposit(id, 1, "d" + i));
        }
        AtomicReference<String> inside = new AtomicReference<>();
        long version = this.service.applyThen(new Ledger.Deposit(id, 1, "d10"), () -> inside
            .set("waiting for the transaction " + this.executor.getWaitingForTransactions() + ", snapshot "
                    + this.snapshots.load("Ledger", id)));

        assertThat(version).isEqualTo(10);
        assertThat(inside.get()).as("due, not taken before the commit")
            .isEqualTo("waiting for the transaction 1, snapshot null");
        assertThat(this.executor.getWaitingForTransactions()).isZero();
        awaitSnapshots();
        assertThat(this.snapshots.load("Ledger", id)).extracting(Snapshot::version).isEqualTo(10L);
        assertThat(this.ledgers.load(id).state()).startsWith("v10 balance 10 entries 10");
    }

    @Test
    void aSnapshotDueInATransactionThatRollsBackHoldsOnlyCommittedEvents() {
        String id = id();
        for (int i = 1; i <= 9; i++) {
            this.ledgers.apply(new Ledger.Deposit(id, 1, "d" + i));
        }
        assertThatIllegalStateException().isThrownBy(() -> this.service.applyAndFail(new Ledger.Deposit(id, 5, "d10")))
            .withMessage("rolled back");
        awaitSnapshots();

        Snapshot snapshot = this.snapshots.load("Ledger", id);
        assertThat(snapshot).isNotNull();
        assertThat(snapshot.version()).as("the committed version").isEqualTo(9);
        assertThat(this.ledgers.load(id).state()).startsWith("v9 balance 9 entries 9");
        assertThat(this.service.apply(new Ledger.Deposit(id, 5, "d10"))).isEqualTo(10);
        assertThat(this.ledgers.load(id).state()).startsWith("v10 balance 14 entries 10");
    }

    private static long applyAll(Repository<Ledger> repository, Command first, Command second) {
        repository.apply(first);
        return repository.apply(second);
    }

    /** @return the version a command answered, or the message it failed with */
    private static String outcome(java.util.function.LongSupplier command) {
        try {
            return "version " + command.getAsLong();
        }
        catch (IllegalStateException refused) {
            return refused.getMessage();
        }
    }

    private double hits() {
        var counter = this.meters.find(EventSourceMeters.SNAPSHOTS).tag(EventSourceMeters.AGGREGATE_TAG, "Ledger")
            .tag(EventSourceMeters.OUTCOME_TAG, "hit").counter();
        return (counter != null) ? counter.count() : 0;
    }

    private void awaitSnapshots() {
        await().atMost(Duration.ofSeconds(30)).until(() -> this.executor.getPending() == 0);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
