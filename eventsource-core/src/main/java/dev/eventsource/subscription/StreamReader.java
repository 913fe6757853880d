package dev.eventsource.subscription;

import dev.eventsource.Record;
import dev.eventsource.Store;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Reads the global stream ahead of a pipelined subscription, on a thread of its own: while the stream gives full
 * batches, it keeps up to {@link #DEPTH} of them ready, so the subscription's thread submits one batch while the
 * next ones are read. Reading early is as safe as reading late: what commits after a read gets higher positions
 * than it returned. A batch that is not full (the subscription caught up) ends the read-ahead; the next batch is then
 * read on the caller's thread. Used by one subscription thread.
 */
final class StreamReader implements AutoCloseable {

    /** Full batches read ahead at most (besides the one being read). */
    static final int DEPTH = 2;

    private final Store store;
    private final int batchSize;
    private final String name;
    private @Nullable ExecutorService thread;
    private @Nullable Chain chain;

    /** One run of reads ahead, from a position on, until a batch that is not full, a failure or a cancel. */
    private static final class Chain {
        final BlockingQueue<Object> batches = new ArrayBlockingQueue<>(DEPTH);
        volatile boolean cancelled;
        /** The position the next batch taken follows; only the subscription's thread. */
        long after;

        Chain(long after) {
            this.after = after;
        }
    }

    /** A read ahead that failed: thrown on the subscription's thread when it reaches it. */
    private record Failed(Throwable failure) {
    }

    StreamReader(Store store, int batchSize, String name) {
        this.store = store;
        this.batchSize = batchSize;
        this.name = name;
    }

    /**
     * Returns the batch after a position: the one read ahead when the read-ahead is there, else read now; starts
     * reading ahead after a full batch.
     */
    @SuppressWarnings("unchecked")
    List<Record> next(long after) throws InterruptedException {
        Chain current = chain;
        List<Record> batch;
        if (current != null && current.after == after) {
            Object taken = current.batches.take();
            if (taken instanceof Failed failed) {
                chain = null;
                if (failed.failure() instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) failed.failure();
            }
            batch = (List<Record>) taken;
            if (batch.size() < batchSize) {
                chain = null; // the reader stopped there
            } else {
                current.after = last(batch);
            }
            return batch;
        }
        cancel();
        batch = store.readAll(after, batchSize);
        if (batch.size() == batchSize) {
            start(last(batch));
        }
        return batch;
    }

    /** Drops what was read ahead: the subscription goes on from another position. */
    void cancel() {
        Chain current = chain;
        if (current != null) {
            current.cancelled = true;
            // Room for a reader waiting to put a batch: it puts it, sees the cancel and ends.
            current.batches.clear();
            chain = null;
        }
    }

    @Override
    public void close() {
        cancel();
        if (thread != null) {
            thread.shutdown();
            thread = null;
        }
    }

    private void start(long after) {
        Chain started = new Chain(after);
        chain = started;
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor((task) -> {
                Thread reader = new Thread(task, "eventsource-read-ahead-" + name);
                reader.setDaemon(true);
                return reader;
            });
        }
        thread.execute(() -> read(started, after));
    }

    /** On the reader's thread: reads batch after batch into the chain while they are full. */
    private void read(Chain chain, long from) {
        long after = from;
        try {
            while (!chain.cancelled) {
                List<Record> batch;
                try {
                    batch = store.readAll(after, batchSize);
                } catch (RuntimeException | Error e) {
                    put(chain, new Failed(e));
                    return;
                }
                if (!put(chain, batch) || batch.size() < batchSize) {
                    return;
                }
                after = last(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for room without an interrupt (which could close a database's file channel mid-read); a cancel makes
     * room, and the wait checks it now and then besides.
     */
    private static boolean put(Chain chain, Object item) throws InterruptedException {
        while (!chain.cancelled) {
            if (chain.batches.offer(item, 100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    private static long last(List<Record> batch) {
        return batch.get(batch.size() - 1).position();
    }
}
