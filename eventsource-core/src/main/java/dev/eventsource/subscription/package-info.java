/**
 * Subscriptions to the global event stream: a {@link dev.eventsource.subscription.Subscription} follows the stream
 * from a durable checkpoint kept in a {@link dev.eventsource.subscription.CheckpointStore}, handing events in
 * position order, at least once and never skipping one, to a
 * {@link dev.eventsource.subscription.SubscriptionHandler}; only one instance processes a subscription at a time.
 */
@NullMarked
package dev.eventsource.subscription;

import org.jspecify.annotations.NullMarked;
