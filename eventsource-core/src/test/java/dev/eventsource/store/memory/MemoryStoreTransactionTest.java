package dev.eventsource.store.memory;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.Event;
import dev.eventsource.EventSourceException;
import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The memory store inside transactions of a plain {@link TransactionContext} (no Spring): appends visible to their
 * own transaction only, published at commit in commit order, dropped at rollback, and the append lock held from
 * the first append to the end.
 */
@Timeout(60)
class MemoryStoreTransactionTest {

    static final Instant AT = Instant.parse("2024-03-01T12:00:00Z");

    final ThreadTransactions transactions = new ThreadTransactions();
    final MemoryStore store = new MemoryStore(transactions);
    final ExecutorService other = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        other.shutdownNow();
    }

    @Test
    void appendIsSeenByItsTransactionOnlyUntilCommit() throws Exception {
        transactions.begin();
        assertThat(store.save("a", record("a", 1, "opened"), record("a", 2, "renamed"))).isTrue();

        History own = store.load("a");
        assertThat(own).extracting(Record::version).containsExactly(1L, 2L);
        assertThat(own).extracting(Record::position).containsOnly(0L);
        assertThat(store.load("a", 2, 0)).extracting(Record::version).containsExactly(2L);
        assertThat(store.readAll(0, 10)).isEmpty();
        assertThat(store.lastPosition()).isZero();
        assertThat(elsewhere(() -> versions("a"))).isEqualTo("not found");

        transactions.commit();

        assertThat(elsewhere(() -> versions("a"))).isEqualTo("[1, 2]");
        assertThat(store.load("a")).extracting(Record::position).containsExactly(1L, 2L);
        assertThat(store.readAll(0, 10)).extracting(Record::version).containsExactly(1L, 2L);
        assertThat(store.lastPosition()).isEqualTo(2);
    }

    @Test
    void rollbackDropsAppendsAndReleasesTheLock() throws Exception {
        store.save("a", record("a", 1, "opened"));
        transactions.begin();
        store.save("a", record("a", 2, "renamed"));
        store.save("b", record("b", 1, "opened"));
        transactions.rollback();

        assertThat(versions("a")).isEqualTo("[1]");
        assertThat(versions("b")).isEqualTo("not found");
        assertThat(store.lastPosition()).isEqualTo(1);
        // The lock is free: another thread appends the very version that was rolled back, without waiting.
        assertThat(elsewhere(() -> store.save("a", record("a", 2, "other")))).isTrue();
        assertThat(store.load("a")).extracting(Record::position).containsExactly(1L, 2L);
    }

    @Test
    void withoutTransactionAppendsAreStoredAtOnce() throws Exception {
        assertThat(store.save("a", record("a", 1, "opened"))).isTrue();
        assertThat(elsewhere(() -> versions("a"))).isEqualTo("[1]");
        assertThat(elsewhere(() -> store.save("a", record("a", 2, "renamed")))).isTrue();
        assertThat(store.lastPosition()).isEqualTo(2);
    }

    @Test
    void aTransactionThatOnlyLoadsTakesNoLock() throws Exception {
        store.save("a", record("a", 1, "opened"));
        ThreadTransactions.Transaction reader = transactions.begin();
        assertThat(versions("a")).isEqualTo("[1]");
        assertThat(versions("missing")).isEqualTo("not found");
        assertThat(reader.participants).isEmpty();
        // While the reading transaction is still open, another thread appends and commits.
        assertThat(elsewhere(() -> inTransaction(() -> store.save("a", record("a", 2, "renamed"))))).isTrue();
        assertThat(versions("a")).isEqualTo("[1, 2]");
        transactions.commit();
    }

    @Test
    void secondAppenderWaitsForTheFirstTransactionAndPositionsFollowCommitOrder() throws Exception {
        transactions.begin();
        store.save("x", record("x", 1, "first"));
        Future<Boolean> second = other.submit(() -> inTransaction(() -> store.save("y", record("y", 1, "second"))));
        assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS));
        store.save("z", record("z", 1, "third"));
        transactions.commit();

        assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(store.readAll(0, 10)).extracting(Record::aggregateId).containsExactly("x", "z", "y");
        assertThat(store.readAll(0, 10)).extracting(Record::position).containsExactly(1L, 2L, 3L);
    }

    @Test
    void conflictsAndResavesAreDecidedAgainstCommittedAndOwnRecords() {
        store.save("a", record("a", 1, "opened"));
        transactions.begin();
        assertThat(store.save("a", record("a", 2, "renamed"))).isTrue();
        // Identical re-saves of a committed and of an own record change nothing.
        assertThat(store.save("a", record("a", 1, "opened"))).isFalse();
        assertThat(store.save("a", record("a", 2, "renamed"))).isFalse();
        assertThatThrownBy(() -> store.save("a", record("a", 2, "different")))
                .isInstanceOfSatisfying(ConcurrencyConflictException.class, conflict -> {
                    assertThat(conflict.expectedVersion()).isEqualTo(1);
                    assertThat(conflict.actualVersion()).isEqualTo(2);
                });
        assertThatThrownBy(() -> store.save("a", record("a", 4, "skipped")))
                .isInstanceOf(ConcurrencyConflictException.class);
        assertThat(store.save("a", record("a", 3, "renamed again"))).isTrue();
        transactions.commit();

        assertThat(store.load("a")).extracting(Record::version).containsExactly(1L, 2L, 3L);
        assertThat(payloads(store.load("a"))).containsExactly("opened", "renamed", "renamed again");
    }

    @Test
    void aConflictingAppendKeepsTheLockSoTheRetrySeesTheLatestCommittedState() throws Exception {
        store.save("a", record("a", 1, "opened"));
        transactions.begin();
        long seen = store.load("a").version();
        elsewhere(() -> store.save("a", record("a", 2, "theirs")));
        assertThatExceptionOfType(ConcurrencyConflictException.class)
                .isThrownBy(() -> store.save("a", record("a", seen + 1, "mine")));
        // This transaction now holds the lock: a third writer waits, and cannot overtake the retry.
        Future<Boolean> third = other.submit(() -> store.save("a", record("a", 3, "third")));
        assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> third.get(300, TimeUnit.MILLISECONDS));
        long latest = store.load("a").version();
        assertThat(latest).isEqualTo(2);
        assertThat(store.save("a", record("a", latest + 1, "mine"))).isTrue();
        transactions.commit();

        assertThatThrownBy(third::get).hasCauseInstanceOf(ConcurrencyConflictException.class);
        assertThat(payloads(store.load("a"))).containsExactly("opened", "theirs", "mine");
    }

    @Test
    void loadRangesCoverCommittedAndOwnRecords() {
        store.save("a", record("a", 1, "v1"), record("a", 2, "v2"));
        transactions.begin();
        store.save("a", record("a", 3, "v3"), record("a", 4, "v4"));
        assertThat(payloads(store.load("a", 2, 3))).containsExactly("v2", "v3");
        assertThat(payloads(store.load("a", 4, 9))).containsExactly("v4");
        assertThat(store.load("a", 5, 0)).isEmpty();
        transactions.rollback();
        assertThat(payloads(store.load("a"))).containsExactly("v1", "v2");
    }

    @Test
    void ownRecordsAreCopiedOnTheWayInAndOut() {
        transactions.begin();
        byte[] data = "before".getBytes(StandardCharsets.UTF_8);
        store.save("a", Record.of("Thing", "a", 1, "T", AT, data));
        data[0] = 'X';
        store.load("a").iterator().next().data()[1] = 'X';
        transactions.commit();
        assertThat(payloads(store.load("a"))).containsExactly("before");
    }

    @Test
    void lockIsReleasedAndRecordsPublishedWhenAnEarlierCommitCallbackFails() throws Exception {
        transactions.begin();
        transactions.register("first", new TransactionContext.Participant() {
            @Override
            public void afterCommit() {
                throw new IllegalStateException("an earlier afterCommit failed");
            }

            @Override
            public void afterCompletion(boolean committed) {
            }
        });
        store.save("a", record("a", 1, "opened"));
        assertThatThrownBy(transactions::commit).hasMessage("an earlier afterCommit failed");

        assertThat(elsewhere(() -> versions("a"))).isEqualTo("[1]");
        assertThat(elsewhere(() -> store.save("a", record("a", 2, "renamed")))).isTrue();
    }

    @Test
    void lockIsReleasedWhenTheTransactionEndsOnAnotherThread() throws Exception {
        transactions.begin();
        store.save("a", record("a", 1, "opened"));
        ThreadTransactions.Transaction detached = transactions.detach();
        other.submit(() -> ThreadTransactions.end(detached, true)).get(10, TimeUnit.SECONDS);

        assertThat(versions("a")).isEqualTo("[1]");
        assertThat(elsewhere(() -> store.save("a", record("a", 2, "renamed")))).isTrue();
        assertThat(store.save("a", record("a", 3, "again"))).isTrue();
    }

    @Test
    void appendInAnInnerTransactionWhileTheSuspendedOneHoldsTheLockFailsInsteadOfWaitingForever() {
        transactions.begin();
        store.save("a", record("a", 1, "opened"));

        transactions.begin();
        assertThatThrownBy(() -> store.save("b", record("b", 1, "inner")))
                .isInstanceOf(EventSourceException.class)
                .hasMessageContaining("aggregate 'b'")
                .hasMessageContaining("would wait for itself forever");
        transactions.rollback();

        transactions.suspend();
        assertThatThrownBy(() -> store.save("b", record("b", 1, "without transaction")))
                .isInstanceOf(EventSourceException.class)
                .hasMessageContaining("would wait for itself forever");
        transactions.resume();

        store.save("b", record("b", 1, "outer"));
        transactions.commit();
        assertThat(payloads(store.load("b"))).containsExactly("outer");
        assertThat(store.readAll(0, 10)).extracting(Record::aggregateId).containsExactly("a", "b");
    }

    @Test
    void innerTransactionStartedBeforeTheOuterAppendsCommitsOnItsOwn() {
        transactions.begin();
        transactions.begin();
        store.save("a", record("a", 1, "inner"));
        transactions.commit();
        assertThat(store.lastPosition()).isEqualTo(1);
        store.save("a", record("a", 2, "outer"));
        transactions.rollback();
        assertThat(payloads(store.load("a"))).containsExactly("inner");
    }

    // A repository on the store: one command per transaction, all on one aggregate, default settings.

    record Increment(String aggregateId) implements Command {
    }

    record Incremented(String aggregateId, long version, Instant at) implements Event {
    }

    static class Counter extends AggregateRoot {

        @CommandHandler
        Event handle(Increment command) {
            return new Incremented(command.aggregateId(), nextVersion(), AT);
        }

        @EventHandler
        void on(Incremented event) {
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 8, 16 })
    void concurrentCommandsInTransactionsOnOneAggregateAllSucceed(int threads) throws Exception {
        Repository<Counter> counters = Repository.builder(Counter.class).store(store).build();
        int perThread = 100;
        AtomicInteger failures = new AtomicInteger();
        List<Callable<Void>> jobs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            jobs.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    transactions.begin();
                    try {
                        counters.apply(new Increment("counter"));
                        transactions.commit();
                    } catch (ConcurrencyConflictException e) {
                        transactions.rollback();
                        failures.incrementAndGet();
                    }
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Future<Void> done : pool.invokeAll(jobs)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).hasValue(0);
        assertThat(store.load("counter")).extracting(Record::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, (long) threads * perThread).boxed().toList());
    }

    private boolean inTransaction(Callable<Boolean> work) throws Exception {
        transactions.begin();
        try {
            boolean result = work.call();
            transactions.commit();
            return result;
        } catch (Exception | Error e) {
            transactions.rollback();
            throw e;
        }
    }

    private <T> T elsewhere(Callable<T> work) throws Exception {
        return other.submit(work).get(10, TimeUnit.SECONDS);
    }

    private String versions(String aggregateId) {
        try {
            return store.load(aggregateId).stream().map(Record::version).toList().toString();
        } catch (AggregateNotFoundException e) {
            return "not found";
        }
    }

    private static List<String> payloads(History history) {
        return history.stream().map(record -> new String(record.data(), StandardCharsets.UTF_8)).toList();
    }

    private static Record record(String aggregateId, long version, String payload) {
        return Record.of("Thing", aggregateId, version, "T", AT, payload.getBytes(StandardCharsets.UTF_8));
    }
}
