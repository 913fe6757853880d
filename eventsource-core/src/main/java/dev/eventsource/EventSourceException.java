package dev.eventsource;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception this library throws; unchecked, so callers catch only what they can handle.
 */
public class EventSourceException extends RuntimeException {

    public EventSourceException(String message) {
        super(message);
    }

    public EventSourceException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
