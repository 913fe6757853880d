package dev.eventsource.subscription;

import dev.eventsource.EventSourceException;

/**
 * Thrown when an operation on a subscription does not fit its state: a restart or skip of a subscription that is not
 * halted, a resume of one that is not paused, any operation while another waits for the lease holder, or on a
 * subscription that has never run. Nothing was changed. (The Actuator endpoint answers it with 409 Conflict.)
 */
public class SubscriptionOperationException extends EventSourceException {

    private final String subscription;

    /**
     * @param subscription the subscription's name
     * @param message what does not fit, and what to do
     */
    public SubscriptionOperationException(String subscription, String message) {
        super(message);
        this.subscription = subscription;
    }

    /** @return the subscription's name */
    public String subscription() {
        return subscription;
    }
}
