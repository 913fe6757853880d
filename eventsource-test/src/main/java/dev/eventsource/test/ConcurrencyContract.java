package dev.eventsource.test;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.History;
import dev.eventsource.Record;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract's concurrent writers: on one aggregate and on many, they lose nothing and mix nothing up.
 * One group of {@link StoreContractTests}, which runs it on its subclass's store.
 */
abstract class ConcurrencyContract extends StoreContract {

    ConcurrencyContract(StoreContractTests entry) {
        super(entry);
    }

    private static final int WRITERS = 8;
    private static final int APPENDS_PER_WRITER = 25;
    private static final int AGGREGATES_PER_WRITER = 10;
    private static final long THREAD_GUARD_SECONDS = 60;

    @Test
    @DisplayName("8 writers appending to one aggregate (retrying on conflict) store every event once, versions 1..N")
    void concurrentWritersOnOneAggregate() throws Exception {
        String id = "hot-aggregate";
        runConcurrently(writer -> () -> {
            long known = 0;
            for (int n = 0; n < APPENDS_PER_WRITER; ) {
                try {
                    History newer = store.load(id, known + 1, 0);
                    if (!newer.isEmpty()) {
                        known = newer.version();
                    }
                } catch (AggregateNotFoundException notYet) {
                    known = 0;
                }
                try {
                    store.save(id, record(id, known + 1, "{\"writer\": " + writer + ", \"n\": " + n + "}"));
                    known++;
                    n++;
                } catch (ConcurrencyConflictException lost) {
                    // another writer took this version: reload and try the next one
                }
            }
            return null;
        });

        History history = store.load(id);
        int expected = WRITERS * APPENDS_PER_WRITER;
        assertThat(versionsOf(history)).containsExactlyElementsOf(LongStream.rangeClosed(1, expected).boxed().toList());
        Set<String> appends = new HashSet<>();
        for (Record record : history) {
            JsonNode payload = JSON.readTree(record.data());
            String append = payload.get("writer").asInt() + "/" + payload.get("n").asInt();
            assertThat(appends.add(append)).as("append %s is stored twice", append).isTrue();
        }
        assertThat(appends).hasSize(expected);
        assertThat(store.readAll(0, EVERYTHING)).hasSize(expected);
    }

    @Test
    @DisplayName("8 writers saving batches to many aggregates in parallel lose nothing and mix nothing up")
    void concurrentWritersOnManyAggregates() throws Exception {
        runConcurrently(writer -> () -> {
            for (int a = 0; a < AGGREGATES_PER_WRITER; a++) {
                String id = "writer-" + writer + "-aggregate-" + a;
                store.save(id, record(id, 1, payloadFor(id, 1)), record(id, 2, payloadFor(id, 2)));
                store.save(id, record(id, 3, payloadFor(id, 3)));
            }
            return null;
        });

        for (int writer = 0; writer < WRITERS; writer++) {
            for (int a = 0; a < AGGREGATES_PER_WRITER; a++) {
                String id = "writer-" + writer + "-aggregate-" + a;
                assertStoredPayloads(id, payloadFor(id, 1), payloadFor(id, 2), payloadFor(id, 3));
            }
        }
        List<Record> stream = store.readAll(0, EVERYTHING);
        assertThat(stream).hasSize(WRITERS * AGGREGATES_PER_WRITER * 3);
        assertStrictlyIncreasingPositions(stream);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** A writer's job, given its number. */
    @FunctionalInterface
    private interface WriterJob {
        Callable<Void> forWriter(int writer);
    }

    /** Starts all writers at once and rethrows the first failure; the guard only stops a deadlocked store. */
    private static void runConcurrently(WriterJob job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> results = new ArrayList<>();
            for (int writer = 0; writer < WRITERS; writer++) {
                Callable<Void> work = job.forWriter(writer);
                results.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            for (Future<Void> result : results) {
                result.get(THREAD_GUARD_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
