package dev.eventsource;

/**
 * Receives what a {@link Repository} does, for instrumentation; every method has a no-op default. The Micrometer
 * implementation is {@code dev.eventsource.micrometer.MicrometerRepositoryMetrics}.
 */
public interface RepositoryMetrics {

    /** Does nothing; the default. */
    RepositoryMetrics NONE = new RepositoryMetrics() {
    };

    /**
     * How an {@link #applied} command ended. {@link #tagValue()} is the value of the Micrometer tag
     * {@code outcome}.
     */
    enum Outcome {

        /** Events were appended. */
        SUCCESS("success"),

        /**
         * The command's id was already stored for the aggregate, so the original outcome was returned and nothing
         * ran.
         */
        DUPLICATE("duplicate"),

        /** The command produced no events. */
        NO_EVENTS("no-events"),

        /** Concurrency conflicts outlasted the retries. */
        CONFLICT("conflict"),

        /** Any other failure. */
        ERROR("error");

        private final String tagValue;

        Outcome(String tagValue) {
            this.tagValue = tagValue;
        }

        /** @return the outcome as a metric tag value: {@code success}, {@code duplicate}, {@code no-events}, ... */
        public String tagValue() {
            return tagValue;
        }

        /** @return {@link #tagValue()} */
        @Override
        public String toString() {
            return tagValue;
        }
    }

    /**
     * An aggregate was loaded (or found missing).
     *
     * @param aggregateType the aggregate class
     * @param events how many events were replayed
     * @param nanos how long the load took
     */
    default void loaded(Class<?> aggregateType, int events, long nanos) {
    }

    /**
     * Records were appended.
     *
     * @param aggregateType the aggregate class
     * @param events how many events the batch held
     * @param nanos how long the append took
     */
    default void saved(Class<?> aggregateType, int events, long nanos) {
    }

    /**
     * A command was applied, successfully or not.
     *
     * @param aggregateType the aggregate class
     * @param outcome how it ended
     * @param nanos how long the whole apply took, retries included
     */
    default void applied(Class<?> aggregateType, Outcome outcome, long nanos) {
    }

    /**
     * An append met a concurrency conflict.
     *
     * @param aggregateType the aggregate class
     */
    default void conflict(Class<?> aggregateType) {
    }

    /**
     * A command is retried after a conflict.
     *
     * @param aggregateType the aggregate class
     */
    default void retried(Class<?> aggregateType) {
    }

    /**
     * What happened with a snapshot. {@link #tagValue()} is the value of the Micrometer tag {@code outcome}.
     */
    enum SnapshotOutcome {

        /** A load started from a snapshot. */
        HIT("hit"),

        /** A load found no snapshot and replayed every event. */
        MISS("miss"),

        /**
         * A snapshot was found but not used: taken from another shape or revision of the class, unreadable, or not
         * matching the stored events; the load replayed every event.
         */
        STALE("stale"),

        /** A snapshot was taken and stored. */
        TAKEN("taken"),

        /** Taking or storing a snapshot failed (logged); commands are not affected. */
        FAILED("failed"),

        /** A snapshot was due but not taken because the snapshot executor's queue was full. */
        SKIPPED("skipped");

        private final String tagValue;

        SnapshotOutcome(String tagValue) {
            this.tagValue = tagValue;
        }

        /** @return the outcome as a metric tag value: {@code hit}, {@code miss}, {@code stale}, ... */
        public String tagValue() {
            return tagValue;
        }

        /** @return {@link #tagValue()} */
        @Override
        public String toString() {
            return tagValue;
        }
    }

    /**
     * Something happened with a snapshot of an aggregate of this type.
     *
     * @param aggregateType the aggregate class
     * @param outcome what happened
     */
    default void snapshot(Class<?> aggregateType, SnapshotOutcome outcome) {
    }
}
