package dev.eventsource.subscription;

import dev.eventsource.subscription.SubscriptionStatus.State;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
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
 *
 * <p>Operations on a subscription ({@link Subscription#pause()}, {@link Subscription#skip()}, ...) are requests
 * written here, by any instance, without the lease: a change of {@link CheckpointState#state()} or an
 * {@link CheckpointState#operation()} that the lease holder reads before each batch and executes. A store that keeps
 * only checkpoints and leases inherits the default methods below, which refuse operations.
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

    /**
     * Reads everything kept about a subscription. The default, for stores without operations, reports the
     * checkpoint as {@link State#RUNNING} without a lease.
     *
     * @return the subscription's state; empty when it has never run
     */
    default Optional<CheckpointState> state(String subscription) {
        OptionalLong position = position(subscription);
        return position.isEmpty() ? Optional.empty() : Optional.of(new CheckpointState(position.getAsLong(), null,
                null, State.RUNNING, null, 0, null, null));
    }

    /**
     * Records an operator's request, whoever holds the lease: in one conditional write, when the subscription's
     * state is one of {@code from} (and, for an operation, no other one waits), sets its state to {@code to} and/or
     * its pending operation.
     *
     * @param from the states the request fits
     * @param to the new state, or null to keep it
     * @param operation the operation for the lease holder, or null
     * @return whether it was recorded; {@code false} when the state did not fit, another operation waits, or the
     *     subscription has never run
     * @throws UnsupportedOperationException when the store does not support operations (the default)
     */
    default boolean request(String subscription, Set<State> from, @Nullable State to, @Nullable String operation) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no subscription state, so"
                + " subscriptions that keep their checkpoints there cannot be paused, restarted, skipped, replayed or"
                + " reset; use MemoryCheckpointStore or JdbcCheckpointStore");
    }

    /**
     * Ends the execution of a pending operation by the lease holder: clears it, sets the state and, when
     * {@code position >= 0}, the checkpoint. In the batch transaction, this commits with what the operation did.
     *
     * @param operation the operation executed, which must still be the pending one
     * @param state the new state, or null to keep it
     * @param position the new checkpoint, or -1 to keep it
     * @return {@code false} when the owner no longer holds the lease or the operation is no longer pending
     */
    default boolean complete(String subscription, String owner, String operation, @Nullable State state,
                             long position) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no subscription state");
    }

    /**
     * Records that the lease holder halted on an event ({@link State#HALTED}). The default keeps nothing.
     *
     * @param position the event's position
     * @param error the handler's last failure
     * @return {@code false} when the owner no longer holds the lease
     */
    default boolean halt(String subscription, String owner, long position, String error) {
        return true;
    }
}
