package dev.eventsource.autoconfigure;

import dev.eventsource.DuplicateEventTypeException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link DuplicateEventTypeException}: two event classes claim one stored type name.
 */
class DuplicateEventTypeFailureAnalyzer extends AbstractFailureAnalyzer<DuplicateEventTypeException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DuplicateEventTypeException cause) {
        Class<?> first = cause.classes().get(0);
        Class<?> second = cause.classes().get(1);
        return new FailureAnalysis("Two event classes use the event type name '" + cause.eventType() + "': "
                + first.getName() + " and " + second.getName() + ".",
                "Give one of them another name with @EventType, for example @EventType(\""
                        + suggestedName(second) + "\") on " + second.getName()
                        + ". Keep the name of the class whose events are already stored.",
                cause);
    }

    private static String suggestedName(Class<?> type) {
        Class<?> enclosing = type.getEnclosingClass();
        if (enclosing != null) {
            return enclosing.getSimpleName() + type.getSimpleName();
        }
        String packageName = type.getPackageName();
        String lastSegment = packageName.substring(packageName.lastIndexOf('.') + 1);
        return lastSegment.isEmpty() ? type.getSimpleName()
                : Character.toUpperCase(lastSegment.charAt(0)) + lastSegment.substring(1) + type.getSimpleName();
    }
}
