package dev.eventsource;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * Thrown when an event cannot be turned into bytes, or stored bytes cannot be turned back into its event class
 * (truncated data, not the expected format, or a shape that does not fit the class). {@link #direction()},
 * {@link #eventType()}, {@link #eventClass()}, {@link #aggregateId()}, {@link #version()} and {@link #fieldPath()}
 * name the event and, where the serializer knows it, the field.
 */
public class SerializationException extends EventSourceException {

    /** Which way the conversion failed. */
    public enum Direction {
        /** An event was being turned into bytes, before it was stored: nothing was stored. */
        SERIALIZE,
        /** Stored bytes were being turned back into an event. */
        DESERIALIZE
    }

    private final Direction direction;
    private final String eventType;
    private final Class<?> eventClass;
    private final @Nullable String aggregateId;
    private final long version;
    private final @Nullable String fieldPath;

    /**
     * @param message what is wrong and what to do
     * @param direction which way the conversion failed
     * @param eventType the event's stored type name
     * @param eventClass the event class written, or the class the bytes were read into
     * @param aggregateId the event's aggregate, or {@code null} when the event to write has none
     * @param version the event's version
     * @param fieldPath the JSON path of the field the conversion failed on (such as {@code $.address.lines[2]}), or
     *     {@code null} when not known
     * @param cause the serializer's own failure, or {@code null}
     */
    public SerializationException(String message, Direction direction, String eventType, Class<?> eventClass,
                                  @Nullable String aggregateId, long version, @Nullable String fieldPath,
                                  @Nullable Throwable cause) {
        super(message, cause);
        this.direction = Objects.requireNonNull(direction, "direction");
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        this.eventClass = Objects.requireNonNull(eventClass, "eventClass");
        this.aggregateId = aggregateId;
        this.version = version;
        this.fieldPath = fieldPath;
    }

    /** @return whether an event was being written or stored bytes read */
    public Direction direction() {
        return direction;
    }

    /** @return the event's stored type name */
    public String eventType() {
        return eventType;
    }

    /** @return the event class written, or the class the stored bytes were read into */
    public Class<?> eventClass() {
        return eventClass;
    }

    /** @return the event's aggregate, or {@code null} when the event to write has none */
    public @Nullable String aggregateId() {
        return aggregateId;
    }

    /** @return the event's version */
    public long version() {
        return version;
    }

    /**
     * @return the JSON path of the field the conversion failed on, such as {@code $.address.lines[2]}, or
     *     {@code null} when the serializer does not know it
     */
    public @Nullable String fieldPath() {
        return fieldPath;
    }
}
