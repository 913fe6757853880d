/**
 * Test support for users and store authors: {@link dev.eventsource.test.StoreContractTests}, the rules every
 * {@link dev.eventsource.Store} must pass, and {@link dev.eventsource.test.AggregateFixture}, given/when/then
 * tests of an aggregate's command handling.
 */
package dev.eventsource.test;
