/**
 * An in-memory {@link dev.eventsource.Store} for tests and prototypes: the seed's {@code store/memory}.
 */
package dev.eventsource.store.memory;
