package dev.eventsource.autoconfigure;

import dev.eventsource.DuplicateEventTypeException;
import dev.eventsource.Event;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link DuplicateEventTypeException}: two event classes claim one stored type name, as their type name
 * or as an {@linkplain dev.eventsource.annotation.EventType#aliases() alias}.
 */
class DuplicateEventTypeFailureAnalyzer extends AbstractFailureAnalyzer<DuplicateEventTypeException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DuplicateEventTypeException cause) {
        Class<?> first = cause.classes().get(0);
        Class<?> second = cause.classes().get(1);
        String name = cause.eventType();
        boolean firstAlias = !Event.typeName(first).equals(name);
        boolean secondAlias = !Event.typeName(second).equals(name);
        if (firstAlias || secondAlias) {
            return new FailureAnalysis("The event type name '" + name + "' is claimed by two event classes: it is "
                    + role(firstAlias) + " of " + first.getName() + " and " + role(secondAlias) + " of "
                    + second.getName() + ".", aliasAction(name, first, firstAlias, second, secondAlias), cause);
        }
        return new FailureAnalysis("Two event classes use the event type name '" + cause.eventType() + "': "
                + first.getName() + " and " + second.getName() + ".",
                "Give one of them another name with @EventType, for example @EventType(\""
                        + suggestedName(second) + "\") on " + second.getName()
                        + ". Keep the name of the class whose events are already stored.",
                cause);
    }

    private static String role(boolean alias) {
        return alias ? "an alias" : "the type name";
    }

    private static String aliasAction(String name, Class<?> first, boolean firstAlias, Class<?> second,
            boolean secondAlias) {
        String rule = "Events stored under one name are read as one class. ";
        if (firstAlias && secondAlias) {
            return rule + "Keep '" + name + "' in @EventType(aliases = ...) of the class whose old events are stored "
                    + "under it, and remove it from the other's.";
        }
        Class<?> aliasing = firstAlias ? first : second;
        Class<?> owner = firstAlias ? second : first;
        return rule + "If the events stored under '" + name + "' are " + owner.getName() + " events, remove \""
                + name + "\" from @EventType(aliases = ...) on " + aliasing.getName() + "; if they are old "
                + aliasing.getSimpleName() + " events, give " + owner.getName() + " another type name, for example "
                + "@EventType(\"" + suggestedName(owner) + "\").";
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
