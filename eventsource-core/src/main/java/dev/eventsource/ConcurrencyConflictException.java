package dev.eventsource;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when an append does not continue an aggregate's history exactly: another writer appended first,
 * or the events skip or repeat versions. Carries what was expected and what was found.
 */
public class ConcurrencyConflictException extends EventSourceException {

    private final String aggregateId;
    private final long expectedVersion;
    private final long actualVersion;

    /**
     * @param aggregateId the aggregate appended to
     * @param expectedVersion the version the appender believed current (its first new version minus one)
     * @param actualVersion the version actually current in the store
     */
    public ConcurrencyConflictException(String aggregateId, long expectedVersion, long actualVersion) {
        super("Concurrency conflict on aggregate '" + aggregateId + "': expected version " + expectedVersion
                + " but the store is at version " + actualVersion
                + "; reload the aggregate and retry the command");
        this.aggregateId = aggregateId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /**
     * For subclasses that explain the conflict further.
     *
     * @param aggregateId the aggregate appended to
     * @param expectedVersion the version the appender believed current
     * @param actualVersion the version current in the store, as far as the appender can tell
     * @param message the whole message
     * @param cause what the store reported, or null
     */
    protected ConcurrencyConflictException(String aggregateId, long expectedVersion, long actualVersion,
                                           String message, @Nullable Throwable cause) {
        super(message, cause);
        this.aggregateId = aggregateId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /** @return the aggregate appended to */
    public String aggregateId() {
        return aggregateId;
    }

    /** @return the version the appender expected to be current */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** @return the version current in the store when the append was refused */
    public long actualVersion() {
        return actualVersion;
    }
}
