package dev.eventsource;

import java.util.List;

/**
 * Thrown when two different classes are bound under one event type name; rename one with
 * {@link dev.eventsource.annotation.EventType @EventType}.
 */
public class DuplicateEventTypeException extends EventSourceException {

    private final String eventType;
    private final List<Class<?>> classes;

    public DuplicateEventTypeException(String eventType, Class<?> bound, Class<?> other) {
        super("Event type name '" + eventType + "' is used by two classes, " + bound.getName() + " and "
                + other.getName() + "; give one of them another name with @EventType(\"...\")");
        this.eventType = eventType;
        this.classes = List.of(bound, other);
    }

    /** @return the contested type name */
    public String eventType() {
        return eventType;
    }

    /** @return the two classes that claim the name */
    public List<Class<?>> classes() {
        return classes;
    }
}
