package dev.eventsource;

/**
 * Thrown when an event cannot be turned into bytes, or stored bytes cannot be turned back into its event class
 * (truncated data, not the expected format, or a shape that does not fit the class).
 */
public class SerializationException extends EventSourceException {

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }

    public SerializationException(String message) {
        super(message);
    }
}
