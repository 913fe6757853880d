package dev.eventsource.kafka;

import dev.eventsource.Event;

import java.time.Instant;

/** The event the tests append. */
public record Noted(String aggregateId, long version, Instant at, String text) implements Event {
}
