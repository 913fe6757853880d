package dev.eventsource;

/**
 * Receives what a {@link Repository} does, for instrumentation; every method has a no-op default. The Micrometer
 * implementation is {@code dev.eventsource.micrometer.MicrometerRepositoryMetrics}.
 */
public interface RepositoryMetrics {

    /** Does nothing; the default. */
    RepositoryMetrics NONE = new RepositoryMetrics() {
    };

    /** Outcome of {@link #applied}: events were appended. */
    String OUTCOME_SUCCESS = "success";

    /**
     * Outcome of {@link #applied}: the command's id was already stored for the aggregate, so the original outcome
     * was returned and nothing ran.
     */
    String OUTCOME_DUPLICATE = "duplicate";

    /** Outcome of {@link #applied}: the command produced no events. */
    String OUTCOME_NO_EVENTS = "no-events";

    /** Outcome of {@link #applied}: concurrency conflicts outlasted the retries. */
    String OUTCOME_CONFLICT = "conflict";

    /** Outcome of {@link #applied}: any other failure. */
    String OUTCOME_ERROR = "error";

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
     * @param outcome one of the {@code OUTCOME_*} constants
     * @param nanos how long the whole apply took, retries included
     */
    default void applied(Class<?> aggregateType, String outcome, long nanos) {
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
}
