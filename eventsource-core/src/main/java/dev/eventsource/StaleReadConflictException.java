package dev.eventsource;

import org.jspecify.annotations.Nullable;

/**
 * A concurrency conflict that no retry inside the current transaction can resolve: the transaction reads from a
 * snapshot taken before the competing append committed (isolation REPEATABLE READ or SERIALIZABLE on PostgreSQL
 * or H2, for example), so every reload would see the same old version, or the database has already aborted the
 * transaction. The {@link Repository} does not retry it; roll the transaction back and run it again as a whole, or
 * let it run at READ COMMITTED.
 */
public class StaleReadConflictException extends ConcurrencyConflictException {

    /**
     * @param aggregateId the aggregate appended to
     * @param expectedVersion the version the transaction read
     * @param actualVersion the version committed by another writer, as far as is known (at least this)
     * @param reason why the transaction cannot see it, and what to do
     * @param cause what the store reported, or null
     */
    public StaleReadConflictException(String aggregateId, long expectedVersion, long actualVersion, String reason,
                                      @Nullable Throwable cause) {
        super(aggregateId, expectedVersion, actualVersion, "Concurrency conflict on aggregate '" + aggregateId
                + "' that no retry in this transaction can resolve: it read version " + expectedVersion
                + " but another writer has committed version " + actualVersion + " or later; " + reason, cause);
    }
}
