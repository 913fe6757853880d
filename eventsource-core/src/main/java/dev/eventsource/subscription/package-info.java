/**
 * Subscriptions to the global event stream: a {@link dev.eventsource.subscription.Subscription} follows the stream
 * from a durable checkpoint kept in a {@link dev.eventsource.subscription.CheckpointStore}, handing events in
 * position order, at least once and never skipping one, to a
 * {@link dev.eventsource.subscription.SubscriptionHandler}; only one instance processes a subscription at a time.
 *
 * <p><b>Owns</b> subscriptions, their failure policies and operations (pause, resume, restart, skip, replay, reset,
 * status), projections' handler dispatch, and the checkpoint and dead-letter stores: the interfaces and the in-memory
 * {@link dev.eventsource.subscription.MemoryCheckpointStore} and
 * {@link dev.eventsource.subscription.MemoryDeadLetterStore} here, the JDBC ones in
 * {@code dev.eventsource.subscription.jdbc}. <b>Imports</b> the API package, {@code dev.eventsource.annotation}
 * and {@code dev.eventsource.internal}; reads events through the {@link dev.eventsource.Store} interface, never a
 * store implementation, and never Micrometer or Spring. No store imports this package.
 */
@NullMarked
package dev.eventsource.subscription;

import org.jspecify.annotations.NullMarked;
