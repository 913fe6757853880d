package dev.eventsource.benchmarks.model;

import dev.eventsource.Command;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Pays money into an existing account: a command producing one event. Shared by all three contenders.
 *
 * @param aggregateId the account
 * @param amount the amount, in cents; positive
 */
public record Deposit(@TargetAggregateIdentifier String aggregateId, long amount) implements Command {
}
