package dev.eventsource.autoconfigure;

import dev.eventsource.InvalidHandlerException;

/**
 * Explains an {@link InvalidHandlerException}: a malformed {@code @EventHandler} or {@code @CommandHandler}
 * method, or an aggregate that cannot be instantiated. The action follows the exception's
 * {@link InvalidHandlerException#problem() problem} and {@link InvalidHandlerException#kind() kind}.
 */
class InvalidHandlerFailureAnalyzer extends MessageFailureAnalyzer<InvalidHandlerException> {

    @Override
    String action(InvalidHandlerException cause) {
        if (cause.problem() == InvalidHandlerException.Problem.NO_CONSTRUCTOR) {
            return "Add a no-argument constructor to the aggregate (it may be private), or define the "
                    + "Repository bean yourself with Repository.builder(type, factory).";
        }
        if (cause.problem() == InvalidHandlerException.Problem.NOT_AN_AGGREGATE) {
            return "Extend dev.eventsource.AggregateRoot if the class is an aggregate, annotate it @Projection if it "
                    + "builds a read model from the event stream, or remove its @EventHandler annotations.";
        }
        if (cause.kind() == InvalidHandlerException.Kind.PROJECTION) {
            return "Fix the projection: its @EventHandler methods are instance methods taking one event (a class"
                    + " implementing dev.eventsource.Event), optionally followed by a StoredEvent, and"
                    + " returning void, one per event type; each @Projection has its own name.";
        }
        return "Fix the method: an @EventHandler is an instance method taking exactly one event (a class "
                + "implementing dev.eventsource.Event) and returning void; a @CommandHandler takes one "
                + "command and returns the produced events.";
    }
}
