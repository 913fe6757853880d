package dev.eventsource;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a stored record names an event type that no class was bound to, or an event of an unbound
 * class is marshalled. Bind the class with {@link Serializer#bind(Class[])} (the Spring starter binds the
 * parameter types of {@code @EventHandler} methods for you).
 */
public class UnknownEventTypeException extends EventSourceException {

    private final String eventType;
    private final @Nullable String aggregateId;

    public UnknownEventTypeException(String eventType, @Nullable String aggregateId) {
        super("Unknown event type '" + eventType + "'" + (aggregateId == null ? "" : " in aggregate '" + aggregateId + "'")
                + ": no event class is bound under that name; bind it with Serializer.bind(...) or Repository.Builder.events(...)");
        this.eventType = eventType;
        this.aggregateId = aggregateId;
    }

    /** @return the unknown type name */
    public String eventType() {
        return eventType;
    }

    /** @return the aggregate whose record carried the name, or {@code null} when not known */
    public @Nullable String aggregateId() {
        return aggregateId;
    }
}
