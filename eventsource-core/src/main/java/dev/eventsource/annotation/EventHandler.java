package dev.eventsource.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that applies one event type: on an aggregate, to its state; on a {@link Projection}, to a read
 * model. The method takes one parameter, an {@link dev.eventsource.Event} type, and returns {@code void}; it may be
 * private and may be declared in a superclass. The same rules hold on aggregates and projections:
 * <ul>
 *     <li>a method overridden in a subclass is one handler, and the override is the one called;</li>
 *     <li>the parameter may be an interface or abstract class (on a projection, a sealed one): it receives each event
 *     of a subtype that has no handler of its own, the most specific handler winning;</li>
 *     <li>two handlers for one parameter type are refused when the class is first used.</li>
 * </ul>
 * A projection's handler may take the {@link dev.eventsource.StoredEvent} as a second parameter. The concrete
 * parameter types, and the concrete classes of a sealed parameter type, are the event types, bound to the
 * serializer for you.
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
