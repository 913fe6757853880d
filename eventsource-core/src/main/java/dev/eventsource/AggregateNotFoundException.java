package dev.eventsource;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when an aggregate has no stored events: the seed's {@code ErrNotFound}. Also thrown when the id names a
 * stream of another aggregate type: ids are unique across aggregate types, and reading an id through the
 * repository of the wrong type finds nothing (nothing replayed, nothing stored).
 */
public class AggregateNotFoundException extends EventSourceException {

    private final @Nullable String aggregateType;
    private final String aggregateId;
    private final @Nullable String storedType;

    /**
     * Reports an id without stored events, whatever the aggregate type.
     *
     * @param aggregateId the id looked up
     */
    public AggregateNotFoundException(String aggregateId) {
        super("Aggregate '" + aggregateId + "' not found: it has no stored events");
        this.aggregateType = null;
        this.aggregateId = aggregateId;
        this.storedType = null;
    }

    /**
     * Reports an id that is not a stream of the given aggregate type.
     *
     * @param aggregateType the aggregate type looked for
     * @param aggregateId the id looked up
     * @param storedType the type of the stream stored under that id, or null when there is none
     */
    public AggregateNotFoundException(String aggregateType, String aggregateId, @Nullable String storedType) {
        super(storedType == null
                ? aggregateType + " '" + aggregateId + "' not found: it has no stored events"
                : aggregateType + " '" + aggregateId + "' not found: that id belongs to an aggregate of another type"
                        + " (ids are unique across aggregate types); nothing was read or stored");
        this.aggregateType = aggregateType;
        this.aggregateId = aggregateId;
        this.storedType = storedType;
    }

    /** @return the id that was looked up */
    public String aggregateId() {
        return aggregateId;
    }

    /** @return the aggregate type looked for, or null when the lookup was for any type */
    public @Nullable String aggregateType() {
        return aggregateType;
    }

    /**
     * Returns the type of the stream stored under the id when it belongs to another aggregate type: such an id
     * exists, so a command must not start a new aggregate with it.
     *
     * @return the other type, or null when nothing is stored under the id
     */
    public @Nullable String storedType() {
        return storedType;
    }
}
