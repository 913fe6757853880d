package dev.eventsource.subscription;

import dev.eventsource.subscription.SubscriptionStatus.State;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * Everything a {@link CheckpointStore} keeps about one subscription: its checkpoint, its lease, the state an
 * operator or a halt set, and an operation waiting for the lease holder.
 *
 * @param position the checkpoint
 * @param owner the lease holder, or null
 * @param leaseUntil when the lease ends, or null when nobody holds it
 * @param state {@link State#RUNNING}, {@link State#PAUSED} or {@link State#HALTED}
 * @param operation the operation the lease holder is to execute ({@code skip}, {@code reset:<position>},
 *     {@code replay:<dead letter id>}), or null
 * @param failedPosition the position of the event the subscription last halted on, or 0
 * @param failure the handler's last failure then, or null
 * @param failedAt when it halted, or null
 */
public record CheckpointState(long position, @Nullable String owner, @Nullable Instant leaseUntil, State state,
                              @Nullable String operation, long failedPosition, @Nullable String failure,
                              @Nullable Instant failedAt) {
}
