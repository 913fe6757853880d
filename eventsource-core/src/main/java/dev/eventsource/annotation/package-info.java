/**
 * Annotations that replace hand-written dispatch: {@link dev.eventsource.annotation.EventHandler @EventHandler}
 * and {@link dev.eventsource.annotation.CommandHandler @CommandHandler} methods on aggregates, and
 * {@link dev.eventsource.annotation.EventType @EventType} names on events.
 */
@NullMarked
package dev.eventsource.annotation;

import org.jspecify.annotations.NullMarked;
