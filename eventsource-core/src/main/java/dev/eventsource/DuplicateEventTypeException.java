package dev.eventsource;

import java.util.List;

/**
 * Thrown when two different classes are bound under one event type name, or one's type name or
 * {@linkplain dev.eventsource.annotation.EventType#aliases() alias} is the other's; rename one with
 * {@link dev.eventsource.annotation.EventType @EventType}.
 */
public class DuplicateEventTypeException extends EventSourceException {

    private final String eventType;
    private final List<Class<?>> classes;

    public DuplicateEventTypeException(String eventType, Class<?> bound, Class<?> other) {
        this("Event type name '" + eventType + "' is used by two classes, " + bound.getName() + " and "
                + other.getName() + "; give one of them another name with @EventType(\"...\")", eventType, bound,
                other);
    }

    /**
     * @param message what is wrong and what to do (for example when the name is one class's alias)
     * @param eventType the contested name
     * @param bound the class that holds the name
     * @param other the class that claims it too
     */
    public DuplicateEventTypeException(String message, String eventType, Class<?> bound, Class<?> other) {
        super(message);
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
