package dev.eventsource.benchmarks.model;

import dev.eventsource.Command;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Opens an account and pays {@code deposits} deposits into it: a command producing {@code 1 + deposits} events
 * on a new aggregate. Shared by all three contenders (Axon reads its annotation, the others ignore it).
 *
 * @param aggregateId the new account
 * @param owner who owns it
 * @param deposits how many deposits of one cent follow the opening
 */
public record OpenAccount(@TargetAggregateIdentifier String aggregateId, String owner, int deposits)
        implements Command {
}
