package dev.eventsource;

import dev.eventsource.annotation.AggregateType;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.internal.AggregateModel;
import dev.eventsource.internal.TypeNames;

/**
 * The current state of a domain resource: the left fold of its events. The repository creates an empty
 * aggregate (a no-argument constructor) and calls {@link #on(Event)} for each event of its history.
 *
 * <p>Either annotate one method per event type with {@link EventHandler @EventHandler} and leave {@code on} as
 * it is, or override {@code on} yourself.
 *
 * <p>Its events are stored in a stream of its type, {@link #typeName(Class)}: an id read through the repository of
 * another aggregate type is not found, and two aggregate types never share an id.
 */
public interface Aggregate {

    /**
     * Applies one event to this aggregate's state. By default dispatches to the {@code @EventHandler} method
     * declared for the event's class (the most specific one).
     *
     * @param event the next event of the history
     * @throws UnhandledEventException when no handler accepts the event
     * @throws InvalidHandlerException when the class's handler methods are malformed
     */
    default void on(Event event) {
        AggregateModel.of(getClass()).applyEvent(this, event);
    }

    /**
     * Returns the stable stream type name of an aggregate class: the value of {@link AggregateType @AggregateType}
     * when present, else the simple class name.
     *
     * @param aggregateClass the aggregate class
     * @return its type name, never blank
     * @throws IllegalArgumentException when {@code @AggregateType} holds a blank name
     */
    static String typeName(Class<?> aggregateClass) {
        return TypeNames.AGGREGATES.of(aggregateClass);
    }
}
