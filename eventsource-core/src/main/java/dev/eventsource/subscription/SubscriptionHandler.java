package dev.eventsource.subscription;

import dev.eventsource.StoredEvent;

/**
 * Handles the events of a {@link Subscription}, one at a time, in position order. Delivery is at least once: after
 * a failure, a crash or a change of the instance that runs the subscription, events after the last checkpoint
 * are delivered again, so a handler should be idempotent (for example an upsert keyed by aggregate id that keeps
 * the highest version).
 */
@FunctionalInterface
public interface SubscriptionHandler {

    /**
     * Handles one event.
     *
     * @param event the event with its metadata and global position
     * @throws Exception to have the event retried with backoff, and the subscription stopped at this event
     *     when it keeps failing
     */
    void handle(StoredEvent event) throws Exception;

    /**
     * Tells whether this handler wants events of a type; others are passed over without being deserialized (the
     * checkpoint still moves past them). Defaults to all types.
     *
     * @param eventType the stored type name
     * @return whether {@link #handle} should receive events of the type
     */
    default boolean handles(String eventType) {
        return true;
    }

    /**
     * Clears what the handler built from events after a position, when its subscription is reset to it
     * ({@link Subscription#reset(long)}, a rebuild). Runs on the instance holding the lease, in the batch transaction
     * that also moves the checkpoint. Does nothing by default.
     *
     * @param position the position the subscription restarts after; 0 for the beginning
     * @throws Exception to leave the subscription and its checkpoint as they were
     */
    default void reset(long position) throws Exception {
    }
}
