package dev.eventsource.subscription;

import dev.eventsource.Record;
import dev.eventsource.Store;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The read-ahead of a pipelined subscription (the Kafka relay): it hands out exactly the stream, batch after batch,
 * whatever it read early; it reads on while batches are full and stops at the head; a jump elsewhere (a reset, a
 * retry from the checkpoint) drops what was read ahead; a failed read surfaces where the subscription reaches it.
 */
class StreamReaderTest {

    private final MemoryStore memory = new MemoryStore();
    /** The positions each read of the store started after, in order. */
    private final List<Long> reads = new CopyOnWriteArrayList<>();
    /** A read after this position fails; -1: none. */
    private final AtomicLong failAfter = new AtomicLong(-1);
    private final Store store = new ReadHookStore(memory, (afterPosition) -> {
        reads.add(afterPosition);
        if (afterPosition == failAfter.get()) {
            throw new IllegalStateException("the database is down");
        }
    });

    @Test
    void handsOutTheWholeStreamInOrderAndReadsAheadWhileBatchesAreFull() throws Exception {
        append(25);
        try (StreamReader reader = new StreamReader(store, 5, "test")) {
            List<Long> positions = new ArrayList<>();
            long after = 0;
            List<Record> batch = reader.next(after);
            assertThat(batch).hasSize(5);
            // The reader goes on by itself: the next batches are read before they are asked for.
            awaitReads(1 + StreamReader.DEPTH + 1);
            while (true) {
                batch.forEach((record) -> positions.add(record.position()));
                if (batch.size() < 5) {
                    break;
                }
                after = batch.get(batch.size() - 1).position();
                batch = reader.next(after);
            }
            assertThat(positions).containsExactlyElementsOf(range(1, 25));
            // 25 events in batches of 5: five full batches, then the empty one that says the head is reached.
            assertThat(reads).containsExactly(0L, 5L, 10L, 15L, 20L, 25L);

            // At the head nothing is read ahead; an event appended later is found by the next read.
            append(1);
            assertThat(reader.next(25)).extracting(Record::position).containsExactly(26L);
        }
    }

    @Test
    void aJumpElsewhereDropsWhatWasReadAhead() throws Exception {
        append(30);
        try (StreamReader reader = new StreamReader(store, 5, "test")) {
            assertThat(reader.next(0)).extracting(Record::position).containsExactly(1L, 2L, 3L, 4L, 5L);
            awaitReads(1 + StreamReader.DEPTH + 1);
            // A reset to position 2: the batches read ahead from 5 on are not handed out.
            reader.cancel();
            assertThat(reader.next(2)).extracting(Record::position).containsExactly(3L, 4L, 5L, 6L, 7L);
            // Asked for a position the read-ahead did not reach: read on the caller's thread, not skipped.
            assertThat(reader.next(20)).extracting(Record::position).containsExactly(21L, 22L, 23L, 24L, 25L);
            assertThat(reader.next(25)).extracting(Record::position).containsExactly(26L, 27L, 28L, 29L, 30L);
        }
    }

    @Test
    void aFailedReadAheadIsThrownWhereTheSubscriptionReachesItAndNothingIsSkipped() throws Exception {
        append(20);
        failAfter.set(10);
        try (StreamReader reader = new StreamReader(store, 5, "test")) {
            assertThat(reader.next(0)).extracting(Record::position).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(reader.next(5)).extracting(Record::position).containsExactly(6L, 7L, 8L, 9L, 10L);
            assertThatThrownBy(() -> reader.next(10)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the database is down");
            // The database is back: the subscription retries from where it was and gets the same events.
            failAfter.set(-1);
            assertThat(reader.next(10)).extracting(Record::position).containsExactly(11L, 12L, 13L, 14L, 15L);
            assertThat(reader.next(15)).extracting(Record::position).containsExactly(16L, 17L, 18L, 19L, 20L);
        }
    }

    private void append(int events) {
        for (int i = 0; i < events; i++) {
            String id = "account-" + memory.lastPosition();
            memory.save(id, List.of(Record.of(id, 1, "Deposited", Instant.now(), "{}".getBytes(StandardCharsets.UTF_8))
                .withAggregateType("Account")));
        }
    }

    private void awaitReads(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (reads.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(reads).as("reads of the store").hasSizeGreaterThanOrEqualTo(count);
    }

    private static List<Long> range(long from, long to) {
        List<Long> positions = new ArrayList<>();
        for (long p = from; p <= to; p++) {
            positions.add(p);
        }
        return positions;
    }
}
