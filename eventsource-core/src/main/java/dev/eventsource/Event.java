package dev.eventsource;

import dev.eventsource.annotation.EventType;
import dev.eventsource.internal.TypeNames;

import java.time.Instant;

/**
 * Something that happened to an aggregate: immutable, named in the past tense. Write events as Java records
 * whose components include {@code aggregateId}, {@code version} and {@code at}:
 *
 * <pre>{@code
 * record NameChanged(String aggregateId, long version, Instant at, String name) implements Event {}
 * }</pre>
 *
 * <p>The type name stored with the event is {@link #type()}: the value of {@link EventType @EventType} when
 * present, else the simple class name. Keep it stable once events are stored.
 */
public interface Event {

    /** @return the id of the aggregate this event belongs to */
    String aggregateId();

    /** @return the version of the aggregate after this event: 1 for its first event, then 2, 3, ... */
    long version();

    /** @return when the event happened */
    Instant at();

    /** @return the stable type name stored with the event; see {@link #typeName(Class)} */
    default String type() {
        return typeName(getClass());
    }

    /**
     * Returns the stable type name of an event class: the value of {@link EventType @EventType} when present,
     * else the simple class name.
     *
     * @param eventClass the event class
     * @return its type name, never blank
     * @throws IllegalArgumentException when {@code @EventType} holds a blank name
     */
    static String typeName(Class<?> eventClass) {
        return TypeNames.EVENTS.of(eventClass);
    }

    /**
     * Returns the revision of an event class's shape, stored with each of its events: the {@code revision} of
     * {@link EventType @EventType} when present, else 1.
     *
     * @param eventClass the event class
     * @return its revision, at least 1
     * @throws IllegalArgumentException when {@code @EventType} declares a revision below 1
     */
    static int revision(Class<?> eventClass) {
        return TypeNames.revisionOf(eventClass);
    }
}
