package dev.eventsource.micrometer;

/**
 * Names, tag keys and tag values of the meters {@link MicrometerRepositoryMetrics} and
 * {@link MicrometerSubscriptionMetrics} register; every name starts
 * with {@code eventsource.}.
 */
public final class EventSourceMeters {

    /** Timer of aggregate loads (replaying the history); tag {@link #AGGREGATE_TAG}. */
    public static final String LOAD = "eventsource.repository.load";

    /** Timer of whole command applications, retries included; tags {@link #AGGREGATE_TAG}, {@link #OUTCOME_TAG}. */
    public static final String APPLY = "eventsource.repository.apply";

    /** Timer of appends to the store; tag {@link #AGGREGATE_TAG}. */
    public static final String SAVE = "eventsource.repository.save";

    /** Counter of events appended to the store; tag {@link #AGGREGATE_TAG}. */
    public static final String EVENTS_APPENDED = "eventsource.repository.events.appended";

    /** Counter of concurrency conflicts met on append; tag {@link #AGGREGATE_TAG}. */
    public static final String CONFLICTS = "eventsource.repository.conflicts";

    /** Counter of commands re-run after a conflict; tag {@link #AGGREGATE_TAG}. */
    public static final String RETRIES = "eventsource.repository.retries";

    /** Counter of commands that produced no events; tag {@link #AGGREGATE_TAG}. */
    public static final String NO_EVENTS = "eventsource.repository.commands.no.events";

    /** Distribution summary of the events replayed per load; tag {@link #AGGREGATE_TAG}. */
    public static final String EVENTS_REPLAYED = "eventsource.repository.events.replayed";

    /**
     * Counter of snapshot outcomes (hit, miss, stale, taken, failed, skipped); tags {@link #AGGREGATE_TAG} and
     * {@link #OUTCOME_TAG}.
     */
    public static final String SNAPSHOTS = "eventsource.repository.snapshots";

    /** Counter of events a subscription handled and checkpointed; tag {@link #SUBSCRIPTION_TAG}. */
    public static final String SUBSCRIPTION_EVENTS_PROCESSED = "eventsource.subscription.events.processed";

    /** Counter of failed handler attempts of a subscription; tag {@link #SUBSCRIPTION_TAG}. */
    public static final String SUBSCRIPTION_FAILURES = "eventsource.subscription.failures";

    /**
     * Gauge of how far a subscription is behind the head of the global stream, in positions (an upper bound of
     * the events); tag {@link #SUBSCRIPTION_TAG}.
     */
    public static final String SUBSCRIPTION_LAG = "eventsource.subscription.lag";

    /** Gauge, 1 when a subscription stopped on a handler that kept failing, else 0; tag {@link #SUBSCRIPTION_TAG}. */
    public static final String SUBSCRIPTION_HALTED = "eventsource.subscription.halted";

    /**
     * Counter of events a subscription moved to its dead letters ({@code dead-letter} policy, or a skip); tag
     * {@link #SUBSCRIPTION_TAG}.
     */
    public static final String SUBSCRIPTION_DEAD_LETTERS = "eventsource.subscription.dead.letters";

    /** Tag key: the subscription's name. */
    public static final String SUBSCRIPTION_TAG = "subscription";

    /** Tag key: the aggregate class's simple name. */
    public static final String AGGREGATE_TAG = "aggregate";

    /** Tag key: how an apply ended, a {@link dev.eventsource.RepositoryMetrics.Outcome#tagValue()}. */
    public static final String OUTCOME_TAG = "outcome";

    private EventSourceMeters() {
    }
}
