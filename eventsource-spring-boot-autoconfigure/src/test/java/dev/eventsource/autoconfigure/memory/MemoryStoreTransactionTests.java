package dev.eventsource.autoconfigure.memory;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.EventSourceException;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.app.Account;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The auto-configured memory store in a Spring application with the transaction manager Spring Boot gives a JDBC
 * application: appends of {@code @Transactional} methods become visible at commit, vanish at rollback, and reach
 * observers and listeners only after the commit.
 */
@SpringBootTest(classes = MemoryTransactionApplication.class, properties = { "eventsource.store.type=memory",
        "eventsource.scan.base-packages=dev.eventsource.autoconfigure.app",
        "spring.datasource.url=jdbc:h2:mem:memory-transactions;DB_CLOSE_DELAY=-1" })
@Timeout(120)
class MemoryStoreTransactionTests {

    /** The contention figures, printed once at the end. */
    private static final Map<Integer, String> FIGURES = new ConcurrentHashMap<>();

    @Autowired
    Store store;

    @Autowired
    Repository<Account> accounts;

    @Autowired
    DepositService service;

    @Autowired
    DepositRecorder recorder;

    @Autowired
    PlatformTransactionManager transactionManager;

    private final ExecutorService other = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        this.other.shutdownNow();
    }

    @AfterAll
    static void printFigures() {
        FIGURES.values().forEach(System.out::println);
    }

    @Test
    void usesTheMemoryStoreWithTheJdbcTransactionManager() {
        assertThat(this.store).isInstanceOf(MemoryStore.class);
        assertThat(this.transactionManager).isInstanceOf(DataSourceTransactionManager.class);
    }

    @Test
    void rollbackLeavesNoEventAndTellsNoObserverOrListener() throws Exception {
        String id = id();
        this.service.deposit(id);
        long positionBefore = this.store.lastPosition();

        assertThatIllegalStateException().isThrownBy(() -> this.service.depositAndFail(id));

        assertThat(this.accounts.load(id).version()).isEqualTo(1);
        assertThat(this.accounts.load(id).balance()).isEqualByComparingTo("10");
        assertThat(elsewhere(() -> this.accounts.load(id).version())).isEqualTo(1);
        assertThat(this.store.lastPosition()).isEqualTo(positionBefore);
        assertThat(this.recorder.observed).contains(id + "@1").doesNotContain(id + "@2");
        assertThat(this.recorder.listened).contains(id + "@1").doesNotContain(id + "@2");
        // The rolled-back version is free again, for this thread and for others.
        assertThat(elsewhere(() -> this.service.deposit(id))).isEqualTo(2);
    }

    @Test
    void rollbackOfTheFirstDepositLeavesNoAccount() {
        String id = id();
        assertThatIllegalStateException().isThrownBy(() -> this.service.depositAndFail(id));
        assertThatExceptionOfType(AggregateNotFoundException.class).isThrownBy(() -> this.accounts.load(id));
        assertThat(DepositRecorder.count(this.recorder.observed, id)).isZero();
        assertThat(DepositRecorder.count(this.recorder.listened, id)).isZero();
    }

    @Test
    void commitShowsTheEventAndTellsObserversOnceAfterwards() {
        String id = id();
        AtomicReference<String> inside = new AtomicReference<>();
        long version = this.service.depositThen(id, (appended) -> {
            String ownLoad = "own load: " + this.accounts.load(id).version();
            String otherThread = "other thread: " + elsewhereQuietly(() -> this.accounts.load(id).version());
            long observed = DepositRecorder.count(this.recorder.observed, id);
            long listened = DepositRecorder.count(this.recorder.listened, id);
            inside.set(ownLoad + ", " + otherThread + ", observed " + observed + ", listened " + listened);
        });

        assertThat(version).isEqualTo(1);
        assertThat(inside.get()).isEqualTo("own load: 1, other thread: not found, observed 0, listened 0");
        assertThat(elsewhereQuietly(() -> this.accounts.load(id).version())).isEqualTo("1");
        assertThat(this.store.load(id)).singleElement().extracting(Record::position).isNotEqualTo(0L);
        assertThat(this.recorder.observed).containsOnlyOnce(id + "@1");
        assertThat(this.recorder.listened).containsOnlyOnce(id + "@1");
        // The store had published the event before observers were told of it.
        assertThat(this.recorder.storeSawWhenObserved).containsOnlyOnce(id + "@1");
    }

    @Test
    void lockIsReleasedWhenAnotherSynchronizationFailsAfterTheCommit() throws Exception {
        String id = id();
        assertThatIllegalStateException().isThrownBy(() -> this.service.depositAfterFailingSynchronization(id))
            .withMessage("another synchronization failed after the commit");
        // Committed, so stored; and the store's lock is free for the next appender.
        assertThat(this.accounts.load(id).version()).isEqualTo(1);
        assertThat(elsewhere(() -> this.service.deposit(id))).isEqualTo(2);
    }

    @Test
    void innerRequiresNewTransactionCommitsOnItsOwnBeforeTheOuterAppends() {
        String outer = id();
        String inner = id();
        assertThatIllegalStateException()
            .isThrownBy(() -> this.service.depositAroundInner(outer, inner, false, true));
        assertThat(this.accounts.load(inner).version()).isEqualTo(1);
        assertThatExceptionOfType(AggregateNotFoundException.class).isThrownBy(() -> this.accounts.load(outer));
        assertThat(this.recorder.observed).contains(inner + "@1").doesNotContain(outer + "@1");
    }

    @Test
    void innerRequiresNewTransactionAfterTheOuterAppendedFailsInsteadOfWaitingForItself() throws Exception {
        String outer = id();
        String inner = id();
        assertThatExceptionOfType(EventSourceException.class)
            .isThrownBy(() -> this.service.depositAroundInner(outer, inner, true, false))
            .withMessageContaining("would wait for itself forever");
        assertThatExceptionOfType(AggregateNotFoundException.class).isThrownBy(() -> this.accounts.load(outer));
        assertThatExceptionOfType(AggregateNotFoundException.class).isThrownBy(() -> this.accounts.load(inner));
        assertThat(elsewhere(() -> this.service.deposit(outer))).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} threads x 100 commands")
    @ValueSource(ints = { 8, 16 })
    void concurrentTransactionalCommandsOnOneAggregateAllSucceed(int threads) throws Exception {
        String id = id();
        int perThread = 100;
        AtomicInteger failures = new AtomicInteger();
        List<Callable<Void>> jobs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            jobs.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    try {
                        this.service.deposit(id);
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            for (Future<Void> done : pool.invokeAll(jobs)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        int commands = threads * perThread;
        FIGURES.put(threads, "Memory store, @Transactional, " + threads + " threads x " + perThread
                + " commands on one aggregate: " + failures.get() + " failures of " + commands + ", " + millis + " ms");

        assertThat(failures).hasValue(0);
        assertThat(this.store.load(id)).extracting(Record::version)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, commands).boxed().toList());
        assertThat(DepositRecorder.count(this.recorder.observed, id)).isEqualTo(commands);
        assertThat(this.accounts.load(id).balance()).isEqualByComparingTo(String.valueOf(10L * commands));
    }

    private <T> T elsewhere(Callable<T> work) throws Exception {
        return this.other.submit(work).get(30, TimeUnit.SECONDS);
    }

    /** Runs on another thread; answers its result, or "not found". */
    private String elsewhereQuietly(Callable<?> work) {
        try {
            return String.valueOf(elsewhere(work));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AggregateNotFoundException) {
                return "not found";
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
