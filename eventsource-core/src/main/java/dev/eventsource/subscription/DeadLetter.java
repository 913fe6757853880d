package dev.eventsource.subscription;

import java.time.Instant;
import java.util.Objects;

/**
 * An event a subscription passed over because its handler kept failing on it ({@link FailurePolicy#DEAD_LETTER}, or
 * {@link Subscription#skip()}): its coordinates in the store, never its payload, which stays in the events table.
 *
 * @param id the dead letter's id, unique within its store
 * @param subscription the subscription's name
 * @param position the event's global position
 * @param aggregateType the event's aggregate type, or an empty text when the store keeps none
 * @param aggregateId the event's aggregate id
 * @param version the event's version within its aggregate
 * @param eventType the event's stored type name
 * @param error the handler's last failure, as {@code ExceptionClass: message}
 * @param recordedAt when the event was passed over
 */
public record DeadLetter(long id, String subscription, long position, String aggregateType, String aggregateId,
                         long version, String eventType, String error, Instant recordedAt) {

    /** The longest error text kept; longer ones are cut. */
    public static final int MAX_ERROR_LENGTH = 2000;

    /** Checks the parts. */
    public DeadLetter {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(aggregateType, "aggregateType");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    /**
     * Describes a failure as {@code ExceptionClass: message} (the root cause's when the handler's exception wraps
     * one), cut to {@link #MAX_ERROR_LENGTH} characters.
     *
     * @param failure the handler's failure
     * @return the text
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return cut(root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()));
    }

    /**
     * Cuts an error text to {@link #MAX_ERROR_LENGTH} characters, as the JDBC stores keep it.
     *
     * @param error the text
     * @return the text, or its first {@link #MAX_ERROR_LENGTH} characters
     */
    public static String cut(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
