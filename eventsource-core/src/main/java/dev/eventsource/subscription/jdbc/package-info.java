/**
 * The JDBC {@link dev.eventsource.subscription.CheckpointStore} and
 * {@link dev.eventsource.subscription.DeadLetterStore}:
 * {@link dev.eventsource.subscription.jdbc.JdbcCheckpointStore#of(dev.eventsource.store.jdbc.JdbcStore)} keeps
 * checkpoints, leases, subscription states and pending operations, and
 * {@link dev.eventsource.subscription.jdbc.JdbcDeadLetterStore#of(dev.eventsource.store.jdbc.JdbcStore)} dead
 * letters, in tables beside a JDBC store's events table, on the same DataSource.
 *
 * <p><b>Owns</b> the SQL of checkpoints, leases, operations and dead letters. <b>Imports</b> {@code dev.eventsource.subscription},
 * {@code dev.eventsource.store.jdbc} (for the table, dialect and DataSource of an events store) and
 * {@code dev.eventsource.internal}; the store package never imports this one, and neither does
 * {@code dev.eventsource.subscription}, so subscriptions need no JDBC. Never Spring.
 */
@NullMarked
package dev.eventsource.subscription.jdbc;

import org.jspecify.annotations.NullMarked;
