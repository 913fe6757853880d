package dev.eventsource.benchmarks.model;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;

import java.time.Instant;

/** The same aggregate as {@link Account}, written for Axon Framework 4, on the same event and command classes. */
public class AxonAccount {

    @AggregateIdentifier
    private String id;
    private long version;
    private String owner;
    private long balance;

    /** Axon creates empty aggregates through this constructor before replaying their events. */
    protected AxonAccount() {
    }

    /**
     * Handles the creating command.
     *
     * @param command the command
     */
    @CommandHandler
    public AxonAccount(OpenAccount command) {
        Instant now = Instant.now();
        AggregateLifecycle.apply(new AccountOpened(command.aggregateId(), 1, now, command.owner()));
        for (int i = 0; i < command.deposits(); i++) {
            AggregateLifecycle.apply(new Deposited(command.aggregateId(), version + 1, now, 1, Events.REFERENCE));
        }
    }

    /**
     * Handles a deposit.
     *
     * @param command the command
     */
    @CommandHandler
    public void handle(Deposit command) {
        if (owner == null) {
            throw new IllegalStateException("Account " + command.aggregateId() + " is not open");
        }
        AggregateLifecycle.apply(new Deposited(command.aggregateId(), version + 1, Instant.now(), command.amount(),
                Events.REFERENCE));
    }

    @EventSourcingHandler
    void on(AccountOpened event) {
        id = event.aggregateId();
        owner = event.owner();
        version = event.version();
    }

    @EventSourcingHandler
    void on(Deposited event) {
        balance += event.amount();
        version = event.version();
    }

    /** @return the balance, in cents */
    public long balance() {
        return balance;
    }
}
