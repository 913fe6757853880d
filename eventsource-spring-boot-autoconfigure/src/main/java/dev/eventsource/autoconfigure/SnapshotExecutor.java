package dev.eventsource.autoconfigure;

import org.springframework.beans.factory.DisposableBean;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor on which every auto-configured repository takes its snapshots ({@code eventsource.snapshots.executor.*}):
 * a fixed number of daemon threads and a bounded number of waiting snapshots. A snapshot beyond that bound is
 * refused at once, which the repository counts as skipped; a command never waits for a snapshot.
 *
 * <p>A snapshot that becomes due inside a Spring-managed transaction waits for the transaction to end, and counts
 * against the bound meanwhile: it is then taken of the state as committed, never of events that may still roll
 * back, and never by reading a database row the transaction still locks. The executor shuts down with the
 * application context: waiting snapshots are dropped (the next due one replaces them), a running one is given a few
 * seconds to finish.
 */
public final class SnapshotExecutor implements Executor, DisposableBean {

    /** How long closing the context waits for the snapshots being taken. */
    private static final long SHUTDOWN_WAIT_SECONDS = 10;

    private final int threads;

    private final int queueCapacity;

    /** One permit per snapshot that may run or wait: threads + queue capacity. */
    private final Semaphore capacity;

    private final ThreadPoolExecutor pool;

    private final AtomicInteger waitingForTransactions = new AtomicInteger();

    /**
     * Creates the executor; its threads start when needed and end after a minute idle.
     *
     * @param threads the threads taking snapshots, 1 or more
     * @param queueCapacity the snapshots that may wait beyond those being taken, 0 or more
     * @throws IllegalArgumentException when threads is below 1 or the capacity negative
     */
    public SnapshotExecutor(int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 0) {
            throw new IllegalArgumentException("A snapshot executor needs 1 or more threads and a queue capacity of 0 "
                    + "or more, got " + threads + " threads and a capacity of " + queueCapacity);
        }
        this.threads = threads;
        this.queueCapacity = queueCapacity;
        this.capacity = new Semaphore(threads + queueCapacity);
        AtomicInteger count = new AtomicInteger();
        // Unbounded: the semaphore bounds the work, so a task admitted before its transaction ended is never refused.
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                (runnable) -> {
                    Thread thread = new Thread(runnable, "eventsource-snapshots-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Takes a snapshot now or, inside a Spring-managed transaction, once the transaction has ended.
     *
     * @param task the snapshot to take
     * @throws RejectedExecutionException when as many snapshots as the threads and the queue hold are running or
     *     waiting, or the executor is shut down
     */
    @Override
    public void execute(Runnable task) {
        if (this.pool.isShutdown()) {
            throw new RejectedExecutionException("The snapshot executor is shut down");
        }
        if (!this.capacity.tryAcquire()) {
            throw new RejectedExecutionException("The snapshot executor is full: " + this.threads + " snapshots being "
                    + "taken and " + this.queueCapacity + " waiting (eventsource.snapshots.executor.*)");
        }
        Runnable admitted = () -> {
            try {
                task.run();
            }
            finally {
                this.capacity.release();
            }
        };
        this.waitingForTransactions.incrementAndGet();
        boolean deferred = SpringTransactions.deferToCompletion(() -> {
            this.waitingForTransactions.decrementAndGet();
            submit(admitted);
        });
        if (!deferred) {
            this.waitingForTransactions.decrementAndGet();
            submit(admitted);
        }
    }

    private void submit(Runnable admitted) {
        try {
            this.pool.execute(admitted);
        }
        catch (RejectedExecutionException shutDown) {
            // Only after shutdown, when the transaction outlived the context: the snapshot is dropped.
            this.capacity.release();
        }
    }

    /** @return the threads taking snapshots */
    public int getThreads() {
        return this.threads;
    }

    /** @return the snapshots that may wait beyond those being taken */
    public int getQueueCapacity() {
        return this.queueCapacity;
    }

    /** @return the snapshots being taken or waiting (for a thread, or for their transaction to end) */
    public int getPending() {
        return this.threads + this.queueCapacity - this.capacity.availablePermits();
    }

    /**
     * @return the snapshots due inside Spring-managed transactions that have not ended yet (part of
     *     {@link #getPending()}); a number that keeps growing points at long transactions
     */
    public int getWaitingForTransactions() {
        return this.waitingForTransactions.get();
    }

    /** @return whether the executor was shut down, with its application context */
    public boolean isShutdown() {
        return this.pool.isShutdown();
    }

    /** Drops the waiting snapshots and waits a few seconds for those being taken. */
    @Override
    public void destroy() throws InterruptedException {
        this.pool.shutdown();
        this.pool.getQueue().clear();
        if (!this.pool.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
            this.pool.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "SnapshotExecutor[threads " + this.threads + ", queue capacity " + this.queueCapacity + ", pending "
                + getPending() + ", waiting for transactions " + getWaitingForTransactions() + "]";
    }
}
