package dev.eventsource.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A failure analyzer for eventsource's own exceptions, whose message already says what is wrong: the description
 * is that message, and a subclass supplies only the action, what to change.
 *
 * @param <T> the exception analyzed
 */
abstract class MessageFailureAnalyzer<T extends Throwable> extends AbstractFailureAnalyzer<T> {

    @Override
    protected final FailureAnalysis analyze(Throwable rootFailure, T cause) {
        return new FailureAnalysis(cause.getMessage() + ".", action(cause), cause);
    }

    /** @return what the user should change to fix the failure */
    abstract String action(T cause);
}
