package dev.eventsource;

/**
 * Root of every exception this library throws; unchecked, so callers catch only what they can handle.
 */
public class EventSourceException extends RuntimeException {

    public EventSourceException(String message) {
        super(message);
    }

    public EventSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
