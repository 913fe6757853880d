package dev.eventsource.subscription;

import dev.eventsource.EventSourceException;
import dev.eventsource.Record;

/**
 * Why a subscription stopped: its handler kept failing on one event. The checkpoint stays before that event, so
 * it is handled again when the subscription restarts.
 */
public class SubscriptionFailedException extends EventSourceException {

    private final String subscription;
    private final long position;
    private final String eventType;
    private final String aggregateId;
    private final long version;

    /**
     * Describes the stop.
     *
     * @param subscription the subscription's name
     * @param event the event the handler failed on
     * @param attempts how many attempts failed
     * @param checkpoint the checkpoint it stays at
     * @param cause the handler's last failure
     */
    public SubscriptionFailedException(String subscription, Record event, int attempts, long checkpoint,
                                       Throwable cause) {
        super("Subscription '" + subscription + "' stopped at position " + event.position() + ": its handler failed "
                + attempts + " time(s) on event " + event.type() + " of aggregate '" + event.aggregateId()
                + "' (version " + event.version() + "). The checkpoint stays at " + checkpoint
                + ", so the event is not skipped: fix the handler or the data, then restart the subscription."
                + " Last failure: " + cause, cause);
        this.subscription = subscription;
        this.position = event.position();
        this.eventType = event.type();
        this.aggregateId = event.aggregateId();
        this.version = event.version();
    }

    /** @return the subscription's name */
    public String subscription() {
        return subscription;
    }

    /** @return the position of the event the handler failed on */
    public long position() {
        return position;
    }

    /** @return the type of that event */
    public String eventType() {
        return eventType;
    }

    /** @return the aggregate of that event */
    public String aggregateId() {
        return aggregateId;
    }

    /** @return the version of that event within its aggregate */
    public long version() {
        return version;
    }
}
