package dev.eventsource;

/**
 * Thrown when a command handler produces an event that cannot be appended: null, for another aggregate, or with a
 * version that does not continue the aggregate's history; or when an event (its aggregate id, type name, metadata
 * or payload) holds what no store can keep: a NUL character, a lone surrogate, or more than {@link EventLimits}
 * allows. The message names the aggregate, the event type and version and, in a JSON payload, the field's path
 * (such as {@code $.address.lines[2]}). Nothing of the command's events, or of the batch, is stored.
 */
public class InvalidEventException extends EventSourceException {

    public InvalidEventException(String message) {
        super(message);
    }
}
