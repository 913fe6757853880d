package dev.eventsource.subscription;

import dev.eventsource.Record;
import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * Takes a {@link Subscription}'s stored records, in position order and without deserializing them, and completes
 * them asynchronously: a relay that sends each record to a message broker and learns later whether it arrived.
 * The subscription keeps reading and submitting while earlier records are in flight, and advances its checkpoint
 * to {@link #completed}, the highest position up to which every submitted record is complete, so a crash repeats
 * at most the records in flight (bounded by the pipeline's window), never skips one.
 *
 * <p>A pipeline is driven by one subscription thread; its completions may arrive on other threads.
 *
 * @see Subscription#builder(String, dev.eventsource.Store, RecordPipeline)
 */
public interface RecordPipeline {

    /**
     * Starts the work on one record. Called in position order; may block while too many records are in flight.
     *
     * @param record the stored record
     * @throws Failure when an earlier record failed, or this one cannot be started
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void submit(Record record) throws InterruptedException;

    /**
     * Returns how far the work is complete, waiting up to {@code wait} for every submitted record to complete.
     *
     * @param wait the longest wait for the records in flight; zero to look without waiting
     * @return the highest position such that it and every record submitted before it are complete, or -1 when
     *     none has completed since the last {@link #reset()}
     * @throws Failure when a submitted record failed
     * @throws InterruptedException when the waiting thread is interrupted
     */
    long completed(Duration wait) throws InterruptedException;

    /** @return how many records completed since the last {@link #reset()} */
    long completedCount();

    /**
     * Abandons the records in flight (after a failure, or when another instance took the lease): none of them may
     * complete after this returns. The next {@link #submit} starts again from the checkpoint.
     */
    void reset();

    /**
     * Ends the work of an orderly stop: waits up to {@code timeout} for the records in flight, then releases what the
     * pipeline holds.
     *
     * @param timeout the longest wait
     */
    default void close(Duration timeout) {
        reset();
    }

    /**
     * A record the pipeline could not complete. A retriable failure (the broker unreachable) is retried from the
     * checkpoint after a backoff for as long as the subscription runs; any other stops the subscription
     * ({@link Subscription.State#FAILED}) at the record.
     */
    final class Failure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient @Nullable Record record;
        private final boolean retriable;
        private final long completedBefore;

        /**
         * Creates a failure.
         *
         * @param message what went wrong and what to do
         * @param record the record that failed, or null when it is not known
         * @param retriable whether trying again later can succeed
         * @param cause the underlying exception
         */
        public Failure(String message, @Nullable Record record, boolean retriable, @Nullable Throwable cause) {
            this(message, record, retriable, -1, cause);
        }

        /**
         * Creates a failure that says how far the records before it completed, so that a halt checkpoints them.
         *
         * @param message what went wrong and what to do
         * @param record the record that failed, or null when it is not known
         * @param retriable whether trying again later can succeed
         * @param completedBefore the highest position up to which every record before the failed one completed, or
         *     -1 when not known
         * @param cause the underlying exception
         */
        public Failure(String message, @Nullable Record record, boolean retriable, long completedBefore,
                @Nullable Throwable cause) {
            super(message, cause);
            this.record = record;
            this.retriable = retriable;
            this.completedBefore = completedBefore;
        }

        /** @return the highest position up to which every record before the failed one completed, or -1 */
        public long completedBefore() {
            return completedBefore;
        }

        /** @return the record that failed, or null when it is not known */
        public @Nullable Record record() {
            return record;
        }

        /** @return whether trying again later can succeed */
        public boolean retriable() {
            return retriable;
        }
    }
}
