package dev.eventsource.test.autoconfigure;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/** Bootstraps an {@link EventSourcingTest}, adding its {@code properties}. */
class EventSourcingTestContextBootstrapper extends TestSliceTestContextBootstrapper<EventSourcingTest> {
}
