package dev.eventsource;

/**
 * Thrown when an event holds what no store can keep ({@link EventLimits}): a NUL character or a lone surrogate in
 * its aggregate id, type name, metadata or JSON payload, or more than the limits allow. Unlike the other
 * {@link InvalidEventException}s, which are mistakes of a command handler, this is usually a problem of the data a
 * user entered, so an application may answer it as a bad request naming {@link #fieldPath()}. Thrown before any
 * store is touched: nothing was stored.
 */
public class UnstorableEventException extends InvalidEventException {

    private final String aggregateId;
    private final String eventType;
    private final long version;
    private final String fieldPath;

    /**
     * @param message what is wrong and what to do
     * @param aggregateId the aggregate
     * @param eventType the event's type name, or {@code null} when the aggregate id was refused before any event
     * @param version the event's version, or 0 when the aggregate id was refused before any event
     * @param fieldPath the JSON path of the offending field of the payload, or {@code null} when the problem is not
     *     in one field of the payload
     */
    public UnstorableEventException(String message, String aggregateId, String eventType, long version,
                                    String fieldPath) {
        super(message);
        this.aggregateId = aggregateId;
        this.eventType = eventType;
        this.version = version;
        this.fieldPath = fieldPath;
    }

    /** @return the aggregate whose event was refused */
    public String aggregateId() {
        return aggregateId;
    }

    /** @return the type name of the refused event, or {@code null} when the aggregate id itself was refused */
    public String eventType() {
        return eventType;
    }

    /** @return the version of the refused event, or 0 when the aggregate id itself was refused */
    public long version() {
        return version;
    }

    /**
     * @return the JSON path of the offending field of the payload, such as {@code $.address.lines[2]} (for a
     *     property name: the object holding it), or {@code null} when the problem is the id, the type name, the
     *     metadata or a size
     */
    public String fieldPath() {
        return fieldPath;
    }
}
