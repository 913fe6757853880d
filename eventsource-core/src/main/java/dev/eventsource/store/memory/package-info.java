/**
 * An in-memory {@link dev.eventsource.Store} for tests and prototypes: the seed's {@code store/memory}, which can
 * join the caller's transactions through a {@link dev.eventsource.store.memory.TransactionContext}; and its
 * {@link dev.eventsource.SnapshotStore}, {@link dev.eventsource.store.memory.MemorySnapshotStore}.
 *
 * <p><b>Owns</b> the in-memory event store, its transactions and the in-memory snapshot store. <b>Imports</b> the API package and
 * {@code dev.eventsource.internal} only: never {@code dev.eventsource.subscription} (the memory checkpoint store
 * lives there), a serializer, Micrometer or Spring.
 */
@NullMarked
package dev.eventsource.store.memory;

import org.jspecify.annotations.NullMarked;
