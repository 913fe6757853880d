package dev.eventsource.autoconfigure;

import dev.eventsource.InvalidHandlerException;

/**
 * Explains an {@link InvalidHandlerException}: a malformed {@code @EventHandler} or {@code @CommandHandler}
 * method, or an aggregate that cannot be instantiated.
 */
class InvalidHandlerFailureAnalyzer extends MessageFailureAnalyzer<InvalidHandlerException> {

    @Override
    String action(InvalidHandlerException cause) {
        if (hasCause(cause, NoSuchMethodException.class)) {
            return "Add a no-argument constructor to the aggregate (it may be private), or define the "
                    + "Repository bean yourself with Repository.builder(type, factory).";
        }
        if (cause.getMessage().contains(AggregateScanner.NOT_AN_AGGREGATE)) {
            return "Extend dev.eventsource.AggregateRoot if the class is an aggregate, annotate it @Projection if it "
                    + "builds a read model from the event stream, or remove its @EventHandler annotations.";
        }
        if (cause.getMessage().contains("rojection")) {
            return "Fix the projection: its @EventHandler methods are instance methods taking one event (a class"
                    + " implementing dev.eventsource.Event), optionally followed by a StoredEvent, and"
                    + " returning void, one per event type; each @Projection has its own name.";
        }
        return "Fix the method: an @EventHandler is an instance method taking exactly one event (a class "
                + "implementing dev.eventsource.Event) and returning void; a @CommandHandler takes one "
                + "command and returns the produced events.";
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (type.isInstance(candidate)) {
                return true;
            }
            if (candidate.getCause() == candidate) {
                break;
            }
        }
        return false;
    }
}
