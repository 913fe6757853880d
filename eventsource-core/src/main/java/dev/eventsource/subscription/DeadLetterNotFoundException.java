package dev.eventsource.subscription;

import dev.eventsource.EventSourceException;

/**
 * Thrown by {@link Subscription#replay(long)} when the subscription has no dead letter with the id. Nothing was
 * changed. (The Actuator endpoint answers it with 404 Not Found.)
 */
public class DeadLetterNotFoundException extends EventSourceException {

    private final String subscription;
    private final long id;

    /**
     * @param subscription the subscription's name
     * @param id the dead letter id asked for
     */
    public DeadLetterNotFoundException(String subscription, long id) {
        super("Subscription '" + subscription + "' has no dead letter " + id + "; list its dead letters to find"
                + " the id (it may have been replayed already)");
        this.subscription = subscription;
        this.id = id;
    }

    /** @return the subscription's name */
    public String subscription() {
        return subscription;
    }

    /** @return the id asked for */
    public long id() {
        return id;
    }
}
