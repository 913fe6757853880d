package dev.eventsource.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an aggregate method that applies one event type to the aggregate's state. The method takes exactly one
 * parameter, an {@link dev.eventsource.Event} class, and returns {@code void}; it may be private. The parameter
 * types are the aggregate's event types, bound to the serializer for you.
 *
 * <pre>{@code
 * @EventHandler
 * void on(NameChanged event) { this.name = event.name(); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface EventHandler {
}
