package dev.eventsource.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an aggregate method that handles one command type: an alternative to implementing
 * {@link dev.eventsource.CommandHandler}. The method takes exactly one parameter, a
 * {@link dev.eventsource.Command} class, and returns the produced events as a {@code List} of events or a single
 * {@link dev.eventsource.Event}; it may be private.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CommandHandler {

    /**
     * Declares that the command creates its aggregate, so the repository appends its events as versions 1, 2, ...
     * without loading the aggregate first: the handler runs on an empty aggregate. When the id already has
     * events, that append conflicts and the command runs the usual way (load, handle), so the handler's own
     * refusal ("already exists") or continuation decides exactly as without this flag; so does any exception the
     * handler throws on the empty aggregate. Only the cost changes: a create is one append instead of a load and
     * an append.
     *
     * @return whether the command creates its aggregate; {@code false} by default
     */
    boolean creates() default false;
}
