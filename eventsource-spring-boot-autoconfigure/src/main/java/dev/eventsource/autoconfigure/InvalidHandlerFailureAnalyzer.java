package dev.eventsource.autoconfigure;

import dev.eventsource.InvalidHandlerException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidHandlerException}: a malformed {@code @EventHandler} or {@code @CommandHandler}
 * method, or an aggregate that cannot be instantiated.
 */
class InvalidHandlerFailureAnalyzer extends AbstractFailureAnalyzer<InvalidHandlerException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidHandlerException cause) {
        if (hasCause(cause, NoSuchMethodException.class)) {
            return new FailureAnalysis(cause.getMessage() + ".",
                    "Add a no-argument constructor to the aggregate (it may be private), or define the "
                            + "Repository bean yourself with Repository.builder(type, factory).",
                    cause);
        }
        if (cause.getMessage().contains("rojection")) {
            return new FailureAnalysis(cause.getMessage() + ".",
                    "Fix the projection: its @EventHandler methods are instance methods taking one event (a class"
                            + " implementing dev.eventsource.Event), optionally followed by a StoredEvent, and"
                            + " returning void, one per event type; each @Projection has its own name.",
                    cause);
        }
        return new FailureAnalysis(cause.getMessage() + ".",
                "Fix the method: an @EventHandler is an instance method taking exactly one event (a class "
                        + "implementing dev.eventsource.Event) and returning void; a @CommandHandler takes one "
                        + "command and returns the produced events.",
                cause);
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
