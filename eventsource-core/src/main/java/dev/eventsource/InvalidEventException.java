package dev.eventsource;

/**
 * Thrown when a command handler produces an event that cannot be appended: null, for another aggregate, or with a
 * version that does not continue the aggregate's history; or, as {@link UnstorableEventException}, when an event
 * (its aggregate id, type name, metadata or payload) holds what no store can keep: a NUL character, a lone
 * surrogate, or more than {@link EventLimits} allows. Nothing of the command's events, or of the batch, is stored.
 */
public class InvalidEventException extends EventSourceException {

    public InvalidEventException(String message) {
        super(message);
    }
}
