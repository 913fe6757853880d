package dev.eventsource.benchmarks.model;

import dev.eventsource.Event;

import java.time.Instant;

/**
 * Money was paid into an account; every event after the first, for all three contenders.
 *
 * @param aggregateId the account
 * @param version its version after this event
 * @param at when it happened
 * @param amount the amount, in cents
 * @param reference the payer's reference, so the payload has the size of a typical small event
 */
public record Deposited(String aggregateId, long version, Instant at, long amount, String reference)
        implements Event {
}
