package dev.eventsource;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a command handler produces an event that cannot be appended: null, for another aggregate, or with a
 * version that does not continue the aggregate's history; or, as {@link UnstorableEventException}, when an event
 * (its aggregate id, type name, metadata or payload) holds what no store can keep: a NUL character, a lone
 * surrogate, or more than {@link EventLimits} allows. Nothing of the command's events, or of the batch, is stored.
 * {@link #aggregateId()}, {@link #eventType()} and {@link #version()} name the refused event.
 */
public class InvalidEventException extends EventSourceException {

    private final @Nullable String aggregateId;
    private final @Nullable String eventType;
    private final long version;

    /**
     * @param message what is wrong and what to do
     * @param aggregateId the aggregate the event was appended to, or {@code null} when not known (the first event
     *     of a batch is null)
     * @param eventType the event's type name, or {@code null} when the event is null or the problem is the
     *     aggregate id
     * @param version the event's version, or 0 when the event is null or the problem is the aggregate id
     */
    public InvalidEventException(String message, @Nullable String aggregateId, @Nullable String eventType,
                                 long version) {
        super(message);
        this.aggregateId = aggregateId;
        this.eventType = eventType;
        this.version = version;
    }

    /**
     * @return the aggregate the refused event was appended to, or {@code null} when not known (the first event of
     *     a batch is null)
     */
    public @Nullable String aggregateId() {
        return aggregateId;
    }

    /**
     * @return the type name of the refused event, or {@code null} when the event is null or the aggregate id itself
     *     was refused
     */
    public @Nullable String eventType() {
        return eventType;
    }

    /** @return the version of the refused event, or 0 when the event is null or the aggregate id itself was refused */
    public long version() {
        return version;
    }
}
