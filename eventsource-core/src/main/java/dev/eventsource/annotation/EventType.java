package dev.eventsource.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives an event class a stable type name other than its simple class name, so the class can be renamed or
 * moved without breaking stored events; declares the revision of the event's shape; names the type names its
 * events were stored under before.
 *
 * <pre>{@code
 * @EventType(value = "PersonCreated", revision = 3, aliases = "PersonRegistered")
 * record PersonCreated(String aggregateId, long version, Instant at, Name name, Address address) implements Event {}
 * }</pre>
 *
 * <p>Every event is stored with its revision. When the shape of an event changes in a way old payloads do not fit
 * (a field renamed, moved or given another representation), raise the revision and register an
 * {@link dev.eventsource.upcast.Upcaster} for each step up from the old revision: stored events are upcast on
 * every read, their bytes never rewritten.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    /**
     * @return the stored type name, unique among the application's events; empty (the default) for the simple
     *     class name
     */
    String value() default "";

    /**
     * @return the revision of the class's shape, from 1 (the default): raise it when stored payloads of the
     *     previous revision no longer fit the class, and register an upcaster from the previous revision
     */
    int revision() default 1;

    /**
     * @return type names events of this class were stored under before (after a rename), read as this type at the
     *     revision they were stored with; each unique among the application's type names and aliases
     */
    String[] aliases() default {};
}
