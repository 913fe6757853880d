package dev.eventsource;

/**
 * Thrown when an aggregate has no handler for an event in its history; add an {@code @EventHandler} method
 * for the type, or handle it in {@link Aggregate#on(Event)}.
 */
public class UnhandledEventException extends EventSourceException {

    private final Class<?> aggregateType;
    private final String eventType;
    private final String aggregateId;

    public UnhandledEventException(Class<?> aggregateType, Event event) {
        super("Aggregate " + aggregateType.getName() + " has no handler for event " + event.type()
                + " (" + event.getClass().getName() + ") of aggregate '" + event.aggregateId()
                + "'; add an @EventHandler method taking " + event.getClass().getSimpleName());
        this.aggregateType = aggregateType;
        this.eventType = event.type();
        this.aggregateId = event.aggregateId();
    }

    /** @return the class of the aggregate without a handler */
    public Class<?> aggregateType() {
        return aggregateType;
    }

    /** @return the type name of the unhandled event */
    public String eventType() {
        return eventType;
    }

    /** @return the id of the aggregate the event belongs to */
    public String aggregateId() {
        return aggregateId;
    }
}
