package dev.eventsource.subscription;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * What an operator sees of a subscription at one moment, whichever instance holds its lease: from
 * {@link Subscription#status()}.
 *
 * @param name the subscription's name
 * @param state where it is, across all instances
 * @param failurePolicy what it does with an event its handler keeps failing on
 * @param checkpoint the last position it processed (0 before it first ran)
 * @param head the store's last position
 * @param lag how many positions it is behind the head (an upper bound of the events)
 * @param lagMillis how long ago the oldest event it has not processed happened, in milliseconds; 0 when caught up,
 *     null when unknown
 * @param owner the instance holding its lease, or null
 * @param leaseExpiresAt when that lease ends unless renewed, or null
 * @param deadLetters how many dead letters it has
 * @param lastFailure the event it last halted on, or null
 */
public record SubscriptionStatus(String name, State state, FailurePolicy failurePolicy, long checkpoint, long head,
                                 long lag, @Nullable Long lagMillis, @Nullable String owner,
                                 @Nullable Instant leaseExpiresAt, long deadLetters, @Nullable Failure lastFailure) {

    /** A subscription's state across instances; the first three are kept with its checkpoint. */
    public enum State {
        /** Processing events, or ready to, on the instance holding its lease. */
        RUNNING,
        /** Paused by an operator ({@link Subscription#pause()}): the lease holder processes nothing until resumed. */
        PAUSED,
        /**
         * Stopped at an event its handler kept failing on ({@link FailurePolicy#HALT}), waiting for an operator:
         * {@link Subscription#restart()} or {@link Subscription#skip()}.
         */
        HALTED,
        /** No instance runs it. */
        STOPPED
    }

    /**
     * The event a subscription halted on.
     *
     * @param position its global position
     * @param aggregateType its aggregate type (empty when unknown)
     * @param aggregateId its aggregate id (empty when the event can no longer be read)
     * @param version its version (0 when unknown)
     * @param eventType its stored type (empty when unknown)
     * @param error the handler's last failure
     * @param at when the subscription halted
     */
    public record Failure(long position, String aggregateType, String aggregateId, long version, String eventType,
                          String error, Instant at) {
    }
}
