package dev.eventsource.kafka.consumer;

import dev.eventsource.EventSourceException;
import dev.eventsource.Record;

/**
 * An event that does not follow its aggregate's last applied version: events are missing before it (a gap), or it
 * arrived out of order. It is not applied; the listener's error handler decides between stopping and a dead letter.
 */
public class EventSequenceGapException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final String aggregateId;
    private final long expectedVersion;
    private final long actualVersion;

    /**
     * Creates the exception.
     *
     * @param record the event received
     * @param lastVersion the aggregate's last applied version
     */
    public EventSequenceGapException(Record record, long lastVersion) {
        super("Event " + record.type() + " of aggregate '" + record.aggregateId() + "'"
                + (record.aggregateType() == null ? "" : " (" + record.aggregateType() + ")") + " has version "
                + record.version() + " but version " + (lastVersion + 1) + " is next: versions " + (lastVersion + 1)
                + " to " + (record.version() - 1) + " are missing or arrive out of order (position "
                + record.position() + "). It was not applied; check that the topic keeps every event (retention, a"
                + " consumer that started mid-stream) and that the producer keys by aggregate id");
        this.aggregateId = record.aggregateId();
        this.expectedVersion = lastVersion + 1;
        this.actualVersion = record.version();
    }

    /** @return the aggregate */
    public String aggregateId() {
        return aggregateId;
    }

    /** @return the version that should have come */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** @return the version that came */
    public long actualVersion() {
        return actualVersion;
    }
}
