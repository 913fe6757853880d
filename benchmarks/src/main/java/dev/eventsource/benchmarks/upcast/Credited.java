package dev.eventsource.benchmarks.upcast;

import dev.eventsource.Event;
import dev.eventsource.annotation.EventType;

import java.time.Instant;

/**
 * Money was paid into a wallet; every event after the first. The same fields as the main benchmarks'
 * {@code Deposited}. Revision 1 stored the amount as {@code amt}.
 *
 * @param aggregateId the wallet
 * @param version its version after this event
 * @param at when it happened
 * @param amount the amount, in cents
 * @param reference the payer's reference
 */
@EventType(value = "Credited", revision = 2)
public record Credited(String aggregateId, long version, Instant at, long amount, String reference)
        implements Event {
}
