package dev.eventsource.benchmarks.model;

import dev.eventsource.Event;

import java.time.Instant;

/**
 * An account was opened; the first event of every benchmark aggregate, for all three contenders.
 *
 * @param aggregateId the account
 * @param version its version after this event, 1
 * @param at when it happened
 * @param owner who owns the account
 */
public record AccountOpened(String aggregateId, long version, Instant at, String owner) implements Event {
}
