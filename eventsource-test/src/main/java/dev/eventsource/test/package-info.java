/**
 * Test support for users and store authors: {@link dev.eventsource.test.StoreContractTests}, the rules every
 * {@link dev.eventsource.Store} must pass, {@link dev.eventsource.test.SnapshotStoreContractTests}, the rules every
 * {@link dev.eventsource.SnapshotStore} must pass, {@link dev.eventsource.test.AggregateFixture}, given/when/then
 * tests of an aggregate's command handling, and {@link dev.eventsource.test.PastEvents}, which writes events in a
 * past shape (raw JSON, type, revision) into a store so that tests read them with today's classes, and
 * {@link dev.eventsource.test.ChildJvm}, a class's {@code main} in a JVM of its own for {@code kill -9} tests.
 *
 * <p><b>Owns</b> the store and snapshot store contract kits, the aggregate fixture, the past-events fixture and the
 * child JVM.
 * <b>Imports</b> the API of eventsource-core (and the memory store, the fixture's default), Jackson's tree model
 * (its CBOR writer optionally), JUnit and AssertJ; never Spring or {@code dev.eventsource.internal}.
 */
@NullMarked
package dev.eventsource.test;

import org.jspecify.annotations.NullMarked;
