package dev.eventsource.micrometer;

/**
 * Names, tag keys and tag values of the meters {@link MicrometerRepositoryMetrics} registers; every name starts
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

    /** Tag key: the aggregate class's simple name. */
    public static final String AGGREGATE_TAG = "aggregate";

    /** Tag key: how an apply ended, one of the {@code RepositoryMetrics.OUTCOME_*} values. */
    public static final String OUTCOME_TAG = "outcome";

    private EventSourceMeters() {
    }
}
