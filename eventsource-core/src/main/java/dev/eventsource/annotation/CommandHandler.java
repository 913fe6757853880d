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
}
