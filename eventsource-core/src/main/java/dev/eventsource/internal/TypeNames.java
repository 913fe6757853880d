package dev.eventsource.internal;

import dev.eventsource.annotation.AggregateType;
import dev.eventsource.annotation.EventType;

import java.lang.annotation.Annotation;
import java.util.function.Function;

/**
 * The stable type names of aggregate and event classes: the value of their naming annotation ({@code @AggregateType},
 * {@code @EventType}), or else the simple class name; each class's annotation is read once.
 */
public final class TypeNames {

    /** Names of aggregate classes, from {@code @AggregateType}. */
    public static final TypeNames AGGREGATES = new TypeNames(AggregateType.class, AggregateType::value);

    /** Names of event classes, from {@code @EventType}. */
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
