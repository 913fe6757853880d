package dev.eventsource.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link EventHandler} methods build a read model from events: a projection. Each handler
 * method takes one event (a class implementing {@link dev.eventsource.Event}, or a sealed type whose classes it
 * receives), optionally followed by a {@link dev.eventsource.StoredEvent} (metadata and global position), and
 * returns {@code void}, by the rules of {@link EventHandler} that aggregates follow too; events of other types are
 * passed over without being deserialized.
 *
 * <pre>{@code
 * @Projection("people")
 * class PeopleProjection {
 *     @EventHandler
 *     void on(PersonRegistered event) { ... upsert a row ... }
 * }
 * }</pre>
 *
 * <p>By default a projection is a {@link dev.eventsource.subscription.Subscription} named after it: it follows the
 * global stream on its own thread, eventually consistent with the events. With {@link #inline()} it runs instead
 * in the thread, and the transaction, of each append made through a repository.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Projection {

    /**
     * Names the projection, which is also its subscription's name and checkpoint key: a letter or digit, then up to
     * 99 letters, digits, {@code _ . -}.
     *
     * @return the name
     */
    String value();

    /**
     * Tells whether the projection runs inline, in the append's thread and transaction (read model and events
     * commit or roll back together), instead of as a subscription. Inline handlers only see events appended through
     * repositories while the application runs, never history; their {@code StoredEvent} has position 0.
     *
     * @return whether the projection runs inline
     */
    boolean inline() default false;
}
