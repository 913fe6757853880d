package dev.eventsource;

/**
 * Thrown when a command handler produces an event that cannot be appended: null, for another aggregate, or with a
 * version that does not continue the aggregate's history. Nothing of the command's events is stored.
 */
public class InvalidEventException extends EventSourceException {

    public InvalidEventException(String message) {
        super(message);
    }
}
