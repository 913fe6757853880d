package dev.eventsource;

import dev.eventsource.annotation.EventHandler;
import dev.eventsource.internal.AggregateModel;

/**
 * The current state of a domain resource: the left fold of its events. The repository creates an empty
 * aggregate (a no-argument constructor) and calls {@link #on(Event)} for each event of its history.
 *
 * <p>Either annotate one method per event type with {@link EventHandler @EventHandler} and leave {@code on} as
 * it is, or override {@code on} yourself.
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
}
