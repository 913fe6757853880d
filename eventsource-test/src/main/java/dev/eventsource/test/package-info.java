/**
 * Test support for users and store authors: {@link dev.eventsource.test.StoreContractTests}, the rules every
 * {@link dev.eventsource.Store} must pass, {@link dev.eventsource.test.SnapshotStoreContractTests}, the rules every
 * {@link dev.eventsource.SnapshotStore} must pass, and {@link dev.eventsource.test.AggregateFixture},
 * given/when/then tests of an aggregate's command handling.
 *
 * <p><b>Owns</b> the store and snapshot store contract kits and the aggregate fixture. <b>Imports</b> the API of eventsource-core (and
 * the memory store, the fixture's default), JUnit and AssertJ; never Spring or {@code dev.eventsource.internal}.
 */
@NullMarked
package dev.eventsource.test;

import org.jspecify.annotations.NullMarked;
