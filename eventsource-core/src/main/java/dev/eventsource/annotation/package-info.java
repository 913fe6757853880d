/**
 * Annotations that replace hand-written dispatch: {@link dev.eventsource.annotation.EventHandler @EventHandler}
 * and {@link dev.eventsource.annotation.CommandHandler @CommandHandler} methods on aggregates, and
 * {@link dev.eventsource.annotation.EventType @EventType} names on events.
 *
 * <p><b>Owns</b> the annotations only; what they mean is read by {@code dev.eventsource.internal} and the
 * subscriptions. <b>Imports</b> no other package of this library (annotations are the leaves every package may
 * use).
 */
@NullMarked
package dev.eventsource.annotation;

import org.jspecify.annotations.NullMarked;
