/**
 * The event-sourcing API: {@link dev.eventsource.Aggregate aggregates} are the left fold of their
 * {@link dev.eventsource.Event events}; {@link dev.eventsource.Command commands} go to command handlers that
 * produce events; a {@link dev.eventsource.Serializer} turns events into {@link dev.eventsource.Record records};
 * a {@link dev.eventsource.Store} saves and loads them; a {@link dev.eventsource.Repository} ties it together.
 */
@NullMarked
package dev.eventsource;

import org.jspecify.annotations.NullMarked;
