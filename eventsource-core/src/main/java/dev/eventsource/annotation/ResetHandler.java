package dev.eventsource.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a {@link Projection} that clears its read model when its subscription is reset to an earlier
 * position (a rebuild): {@link dev.eventsource.subscription.Subscription#reset(long)}. The method takes no
 * parameter, or one {@code long}: the position the subscription restarts after (0 for the beginning), so that a
 * read model can delete only what later events built. It runs on the instance that holds the subscription's lease,
 * in the batch transaction that also moves the checkpoint (when the subscription has one), so the read model and
 * its checkpoint are reset together or not at all.
 *
 * <pre>{@code
 * @ResetHandler
 * void clear() { jdbc.update("DELETE FROM people_view"); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ResetHandler {
}
