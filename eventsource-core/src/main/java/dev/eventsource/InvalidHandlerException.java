package dev.eventsource;

/**
 * Thrown when an aggregate class is malformed: an {@code @EventHandler} or {@code @CommandHandler} method with a
 * wrong signature, two handlers for one type, or no usable constructor. Raised when the class's model is first
 * built, naming the class and the method.
 */
public class InvalidHandlerException extends EventSourceException {

    public InvalidHandlerException(String message) {
        super(message);
    }

    public InvalidHandlerException(String message, Throwable cause) {
        super(message, cause);
    }
}
