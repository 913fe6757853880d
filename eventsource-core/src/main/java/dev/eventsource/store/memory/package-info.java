/**
 * An in-memory {@link dev.eventsource.Store} for tests and prototypes: the seed's {@code store/memory}, which can
 * join the caller's transactions through a {@link dev.eventsource.store.memory.TransactionContext}.
 */
@NullMarked
package dev.eventsource.store.memory;

import org.jspecify.annotations.NullMarked;
