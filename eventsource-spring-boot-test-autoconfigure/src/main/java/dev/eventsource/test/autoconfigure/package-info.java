/**
 * The {@link dev.eventsource.test.autoconfigure.EventSourcingTest @EventSourcingTest} slice for tests of an
 * application's aggregates and projections.
 */
@NullMarked
package dev.eventsource.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
