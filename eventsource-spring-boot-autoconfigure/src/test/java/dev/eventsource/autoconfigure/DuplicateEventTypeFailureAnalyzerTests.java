package dev.eventsource.autoconfigure;

import dev.eventsource.DuplicateEventTypeException;
import dev.eventsource.Event;
import dev.eventsource.annotation.EventType;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up hint for a contested event type name follows what each class makes of the name (its type name or
 * an alias), whichever class was bound first.
 */
class DuplicateEventTypeFailureAnalyzerTests {

    @EventType("Shipped")
    record Shipped(String aggregateId, long version, Instant at) implements Event {
    }

    @EventType(value = "Dispatched", aliases = "Shipped")
    record Dispatched(String aggregateId, long version, Instant at) implements Event {
    }

    @EventType(value = "Sent", aliases = "Shipped")
    record Sent(String aggregateId, long version, Instant at) implements Event {
    }

    @Test
    void namesTheAliasWhenTheAliasingClassWasBoundFirst() {
        String analysis = FailureAnalysisAssert.analyze(
                new DuplicateEventTypeException("claimed twice", "Shipped", Dispatched.class, Shipped.class));

        assertThat(analysis)
            .contains("The event type name 'Shipped' is claimed by two event classes: it is an alias of "
                    + Dispatched.class.getName() + " and the type name of " + Shipped.class.getName())
            .contains("remove \"Shipped\" from @EventType(aliases = ...) on " + Dispatched.class.getName())
            .contains("if they are old Dispatched events, give " + Shipped.class.getName() + " another type name");
    }

    @Test
    void asksToKeepTheAliasOnOneClassWhenBothClaimItAsAnAlias() {
        String analysis = FailureAnalysisAssert.analyze(
                new DuplicateEventTypeException("claimed twice", "Shipped", Dispatched.class, Sent.class));

        assertThat(analysis)
            .contains("it is an alias of " + Dispatched.class.getName() + " and an alias of " + Sent.class.getName())
            .contains("Keep 'Shipped' in @EventType(aliases = ...) of the class whose old events are stored under "
                    + "it, and remove it from the other's")
            .doesNotContain("another type name");
    }

    @Test
    void asksForAnotherTypeNameWhenTwoClassesShareOne() {
        String analysis = FailureAnalysisAssert.analyze(new DuplicateEventTypeException("Shipped", Shipped.class,
                ShippedAgain.class));

        assertThat(analysis).contains("Two event classes use the event type name 'Shipped'")
            .contains("Give one of them another name with @EventType")
            .doesNotContain("alias");
    }

    @EventType("Shipped")
    record ShippedAgain(String aggregateId, long version, Instant at) implements Event {
    }
}
