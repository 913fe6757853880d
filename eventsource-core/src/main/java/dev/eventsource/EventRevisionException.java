package dev.eventsource;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * Thrown when a stored event is in a revision of its shape the code cannot read: newer than its class declares
 * (written by a newer release of the application), or older with no chain of upcasters up to today's revision.
 * Nothing is skipped: the read that met the event fails, naming it; {@link #aggregateType()},
 * {@link #aggregateId()}, {@link #version()}, {@link #position()}, {@link #eventType()} and {@link #revision()}
 * say the same for code that reacts to it.
 */
public class EventRevisionException extends EventSourceException {

    /** Why the revision cannot be read. */
    public enum Reason {
        /** The stored revision is newer than the one the bound class declares. */
        NEWER_THAN_CODE,
        /** The stored revision is older and no upcaster leads from it to the class's revision. */
        NO_UPCASTER
    }

    private final Reason reason;
    private final @Nullable String aggregateType;
    private final String aggregateId;
    private final long version;
    private final long position;
    private final String eventType;
    private final int revision;
    private final int currentRevision;

    /**
     * @param message what is wrong and what to do
     * @param reason why the revision cannot be read
     * @param aggregateType the type of the event's aggregate, or {@code null} when the record has none
     * @param aggregateId the event's aggregate
     * @param version the event's version
     * @param position the event's place in the global stream, 0 when not numbered
     * @param eventType the stored type name
     * @param revision the stored revision
     * @param currentRevision the revision of the class the event would be read into, 0 when no class is bound
     */
    public EventRevisionException(String message, Reason reason, @Nullable String aggregateType, String aggregateId,
                                  long version, long position, String eventType, int revision, int currentRevision) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.aggregateType = aggregateType;
        this.aggregateId = Objects.requireNonNull(aggregateId, "aggregateId");
        this.version = version;
        this.position = position;
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        this.revision = revision;
        this.currentRevision = currentRevision;
    }

    /** @return why the revision cannot be read */
    public Reason reason() {
        return reason;
    }

    /** @return the type of the event's aggregate, or {@code null} when the record has none */
    public @Nullable String aggregateType() {
        return aggregateType;
    }

    /** @return the event's aggregate */
    public String aggregateId() {
        return aggregateId;
    }

    /** @return the event's version */
    public long version() {
        return version;
    }

    /** @return the event's place in the global stream, 0 when the store has not numbered it */
    public long position() {
        return position;
    }

    /** @return the stored type name */
    public String eventType() {
        return eventType;
    }

    /** @return the stored revision */
    public int revision() {
        return revision;
    }

    /** @return the revision of the class the event would be read into, 0 when no class is bound */
    public int currentRevision() {
        return currentRevision;
    }
}
