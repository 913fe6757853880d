/**
 * The event-sourcing API: {@link dev.eventsource.Aggregate aggregates} are the left fold of their
 * {@link dev.eventsource.Event events}; {@link dev.eventsource.Command commands} go to command handlers that
 * produce events; a {@link dev.eventsource.Serializer} turns events into {@link dev.eventsource.Record records};
 * a {@link dev.eventsource.Store} saves and loads them; a {@link dev.eventsource.Repository} ties it together.
 *
 * <p><b>Owns</b> the types a user programs against and the exceptions under
 * {@link dev.eventsource.EventSourceException}. <b>Imports</b> only {@code dev.eventsource.annotation} and
 * {@code dev.eventsource.internal} (its hidden half) of this library, never a store, serializer, subscription or
 * Micrometer package, and never Spring. <b>The one exception</b>: {@link dev.eventsource.Repository.Builder#build()}
 * falls back to a new {@link dev.eventsource.store.memory.MemoryStore} and
 * {@link dev.eventsource.serializer.jackson.JacksonSerializer#json()} when none is given, as the seed's
 * {@code repository.New} defaults to its memory store and gob serializer, so that
 * {@code Repository.builder(type).build()} works for tests and prototypes. Both ship in this jar, and neither
 * imports the repository, so the only circle is this builder's fallback (the architecture test,
 * {@code ArchitectureTest}, allows exactly these two dependencies).
 */
@NullMarked
package dev.eventsource;

import org.jspecify.annotations.NullMarked;
