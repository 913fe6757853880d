package dev.eventsource;

/**
 * Thrown when an aggregate has no stored events: the seed's {@code ErrNotFound}.
 */
public class AggregateNotFoundException extends EventSourceException {

    private final String aggregateId;

    public AggregateNotFoundException(String aggregateId) {
        super("Aggregate '" + aggregateId + "' not found: it has no stored events");
        this.aggregateId = aggregateId;
    }

    /** @return the id that was looked up */
    public String aggregateId() {
        return aggregateId;
    }
}
