package dev.eventsource.internal;

import dev.eventsource.annotation.AggregateType;
import dev.eventsource.annotation.EventType;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The stable type names of aggregate and event classes: the value of their naming annotation ({@code @AggregateType},
 * {@code @EventType}), or else the simple class name; each class's annotation is read once.
 */
public final class TypeNames {

    /** Names of aggregate classes, from {@code @AggregateType}. */
    public static final TypeNames AGGREGATES = new TypeNames(AggregateType.class, AggregateType::value);

    /** Names of event classes, from {@code @EventType}; an empty value stands for the simple class name. */
    public static final TypeNames EVENTS = new TypeNames(EventType.class, EventType::value);

    private final ClassValue<String> names;

    private <A extends Annotation> TypeNames(Class<A> annotationType, Function<A, String> value) {
        this.names = new ClassValue<>() {
            @Override
            protected String computeValue(Class<?> type) {
                A annotation = type.getAnnotation(annotationType);
                if (annotation == null) {
                    return type.getSimpleName();
                }
                String name = value.apply(annotation);
                if (name.isEmpty() && annotationType == EventType.class) {
                    return type.getSimpleName();
                }
                if (name.isBlank()) {
                    throw new IllegalArgumentException("@" + annotationType.getSimpleName() + " on " + type.getName()
                            + " has a blank name; give it a stable, non-blank name such as \"" + type.getSimpleName()
                            + "\"");
                }
                return name;
            }
        };
    }

    /**
     * Returns the revision of an event class's shape: {@code @EventType(revision = ...)}, else 1.
     *
     * @param eventClass an event class
     * @return its revision, at least 1
     * @throws IllegalArgumentException when the annotation declares a revision below 1
     */
    public static int revisionOf(Class<?> eventClass) {
        EventType annotation = eventClass.getAnnotation(EventType.class);
        if (annotation == null) {
            return 1;
        }
        if (annotation.revision() < 1) {
            throw new IllegalArgumentException("@EventType on " + eventClass.getName() + " declares revision "
                    + annotation.revision() + "; revisions start at 1");
        }
        return annotation.revision();
    }

    /**
     * Returns the type names an event class's events were stored under before: {@code @EventType(aliases = ...)}.
     *
     * @param eventClass an event class
     * @return its aliases, possibly none
     * @throws IllegalArgumentException when an alias is blank or repeats the class's own type name
     */
    public static List<String> aliasesOf(Class<?> eventClass) {
        EventType annotation = eventClass.getAnnotation(EventType.class);
        if (annotation == null || annotation.aliases().length == 0) {
            return List.of();
        }
        String name = EVENTS.of(eventClass);
        List<String> aliases = new ArrayList<>();
        for (String alias : annotation.aliases()) {
            if (alias == null || alias.isBlank()) {
                throw new IllegalArgumentException("@EventType on " + eventClass.getName()
                        + " has a blank alias; list the type names its events were stored under before");
            }
            if (alias.equals(name) || aliases.contains(alias)) {
                throw new IllegalArgumentException("@EventType on " + eventClass.getName() + " lists alias '"
                        + alias + "' twice or as its own type name; list each earlier name once");
            }
            aliases.add(alias);
        }
        return List.copyOf(aliases);
    }

    /**
     * Returns the type name of a class.
     *
     * @param type an aggregate or event class, as this instance names
     * @return its type name, never blank
     * @throws IllegalArgumentException when the annotation holds a blank name
     */
    public String of(Class<?> type) {
        return names.get(type);
    }
}
