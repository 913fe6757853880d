package dev.eventsource.subscription;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Keeps, per named subscription, the last global position it has processed (its checkpoint) and a lease: which
 * running instance may process it, until when. Only the lease holder can advance the checkpoint (fencing), so an
 * instance that lost its lease, because it paused longer than the lease time and another took over, cannot move
 * the checkpoint of the new holder.
 *
 * <p>Lease times are measured by one clock for every instance: the database's for the JDBC store (so clock skew
 * between instances cannot make two holders), the process's for the memory store.
 *
 * <p>Implementations: {@link MemoryCheckpointStore} (one process) and
 * {@link dev.eventsource.subscription.jdbc.JdbcCheckpointStore} (a table beside the events table, shared by every instance
 * on the database).
 */
public interface CheckpointStore {

    /**
     * Takes the lease of a subscription for an owner, when nobody else holds an unexpired one, and returns its
     * checkpoint; creates the subscription's checkpoint at {@code initialPosition} when it has none yet. Taking a
     * lease the owner already holds renews it.
     *
     * @param subscription the subscription's name
     * @param owner a token naming the running instance, unique per instance
     * @param leaseTime how long the lease lasts unless renewed
     * @param initialPosition the checkpoint of a new subscription (0 for the beginning, the store's last
     *     position for the end); called only when the subscription has no checkpoint yet
     * @return the checkpoint when the owner now holds the lease; empty when another owner holds it
     */
    OptionalLong acquire(String subscription, String owner, Duration leaseTime, LongSupplier initialPosition);

    /**
     * Moves the checkpoint to a position and renews the lease, if the owner still holds the lease. When the
     * checkpoint store shares a transaction with the handler's writes, the checkpoint commits with them.
     *
     * @param position the last position processed
     * @return {@code false} when the owner no longer holds the lease: nothing changed, the caller must stop
     *     processing (and roll back its transaction, if any)
     */
    boolean advance(String subscription, String owner, long position, Duration leaseTime);

    /**
     * Extends the owner's lease.
     *
     * @return {@code false} when the owner no longer holds the lease
     */
    boolean renew(String subscription, String owner, Duration leaseTime);

    /** Gives up the owner's lease, if it holds it, so another instance can take over at once. */
    void release(String subscription, String owner);

    /**
     * Reads a subscription's checkpoint.
     *
     * @return the last position it processed; empty when it has never run
     */
    OptionalLong position(String subscription);
}
