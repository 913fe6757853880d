package dev.eventsource.subscription;

import dev.eventsource.EventSourceException;
import dev.eventsource.StoredEvent;

import java.util.Objects;

/**
 * Thrown when an inline projection's {@code @EventHandler} method fails on an event with a checked exception (an
 * unchecked one is rethrown as it is), or when a handler throws a {@link Throwable} that is neither an exception nor
 * an error. Names the projection and the event: {@link #projection()}, {@link #position()}, {@link #aggregateId()},
 * {@link #version()} and {@link #eventType()}; the handler's failure is the cause. An inline projection throws it in
 * the appending thread, which rolls back the append with the read model when both share a transaction. A
 * projection run by a subscription is retried instead and, when the failures persist, the subscription stops with a
 * {@link SubscriptionFailedException}, which names the same event.
 */
public class ProjectionFailedException extends EventSourceException {

    private final String projection;
    private final long position;
    private final String aggregateId;
    private final long version;
    private final String eventType;

    /**
     * @param projection the projection's name
     * @param inline whether the projection runs inline, in the appending thread (only changes the message)
     * @param event the event it failed on; its position is 0 for an inline projection, which runs before the
     *     event has one
     * @param cause the handler's failure
     */
    public ProjectionFailedException(String projection, boolean inline, StoredEvent event, Throwable cause) {
        super((inline ? "Inline projection '" : "Projection '") + projection + "' failed on event "
                + event.event().type() + " of aggregate '" + event.event().aggregateId() + "' version "
                + event.event().version() + (event.position() > 0 ? " at position " + event.position() : "")
                + ": " + cause.getMessage(), cause);
        this.projection = Objects.requireNonNull(projection, "projection");
        this.position = event.position();
        this.aggregateId = event.event().aggregateId();
        this.version = event.event().version();
        this.eventType = event.event().type();
    }

    /** @return the name of the projection that failed */
    public String projection() {
        return projection;
    }

    /** @return the global position of the event, or 0 for an inline projection (it runs before there is one) */
    public long position() {
        return position;
    }

    /** @return the aggregate of the event */
    public String aggregateId() {
        return aggregateId;
    }

    /** @return the version of the event within its aggregate */
    public long version() {
        return version;
    }

    /** @return the type name of the event */
    public String eventType() {
        return eventType;
    }
}
