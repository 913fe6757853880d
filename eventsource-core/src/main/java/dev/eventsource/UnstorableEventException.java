package dev.eventsource;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * Thrown when an event holds what no store can keep ({@link EventLimits}): a NUL character or a lone surrogate in
 * its aggregate id, type name, metadata or JSON payload, or more than the limits allow. Unlike the other
 * {@link InvalidEventException}s, which are mistakes of a command handler, this is usually a problem of the data a
 * user entered, so an application may answer it as a bad request naming {@link #fieldPath()}. Thrown before any
 * store is touched: nothing was stored.
 */
public class UnstorableEventException extends InvalidEventException {

    private final @Nullable String fieldPath;

    /**
     * @param message what is wrong and what to do
     * @param aggregateId the aggregate
     * @param eventType the event's type name, or {@code null} when the aggregate id was refused before any event
     * @param version the event's version, or 0 when the aggregate id was refused before any event
     * @param fieldPath the JSON path of the offending field of the payload, or {@code null} when the problem is not
     *     in one field of the payload
     */
    public UnstorableEventException(String message, String aggregateId, @Nullable String eventType, long version,
                                    @Nullable String fieldPath) {
        super(message, aggregateId, eventType, version);
        this.fieldPath = fieldPath;
    }

    /** @return the aggregate whose event was refused */
    @Override
    public String aggregateId() {
        return Objects.requireNonNull(super.aggregateId());
    }

    /**
     * @return the JSON path of the offending field of the payload, such as {@code $.address.lines[2]} (for a
     *     property name: the object holding it), or {@code null} when the problem is the id, the type name, the
     *     metadata or a size
     */
    public @Nullable String fieldPath() {
        return fieldPath;
    }
}
