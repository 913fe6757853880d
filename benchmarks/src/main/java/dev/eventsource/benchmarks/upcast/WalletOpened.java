package dev.eventsource.benchmarks.upcast;

import dev.eventsource.Event;
import dev.eventsource.annotation.EventType;

import java.time.Instant;

/**
 * A wallet was opened; the first event of every history. Revision 1 stored the owner as {@code holder}.
 *
 * @param aggregateId the wallet
 * @param version its version after this event, 1
 * @param at when it happened
 * @param owner who owns the wallet
 */
@EventType(value = "WalletOpened", revision = 2)
public record WalletOpened(String aggregateId, long version, Instant at, String owner) implements Event {
}
