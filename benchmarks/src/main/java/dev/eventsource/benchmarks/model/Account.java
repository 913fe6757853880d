package dev.eventsource.benchmarks.model;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Snapshotting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark aggregate on this library: annotated handlers, as a user writes them. Its snapshot policy (every 100
 * events, the default) applies only where a repository turns snapshots on (the issue 15 scenarios).
 */
@Snapshotting(every = 100)
public class Account extends AggregateRoot {

    private String owner;
    private long balance;

    /** @return the balance, in cents */
    public long balance() {
        return balance;
    }

    /** @return the owner, or null before the account is opened */
    public String owner() {
        return owner;
    }

    @CommandHandler
    List<Event> handle(OpenAccount command) {
        if (owner != null) {
            throw new IllegalStateException("Account " + command.aggregateId() + " is already open");
        }
        Instant now = Instant.now();
        List<Event> events = new ArrayList<>(1 + command.deposits());
        events.add(new AccountOpened(command.aggregateId(), nextVersion(), now, command.owner()));
        for (int i = 0; i < command.deposits(); i++) {
            events.add(new Deposited(command.aggregateId(), nextVersion(), now, 1, Events.REFERENCE));
        }
        return events;
    }

    @CommandHandler
    Event handle(Deposit command) {
        if (owner == null) {
            throw new IllegalStateException("Account " + command.aggregateId() + " is not open");
        }
        return new Deposited(command.aggregateId(), nextVersion(), Instant.now(), command.amount(), Events.REFERENCE);
    }

    @EventHandler
    void on(AccountOpened event) {
        owner = event.owner();
    }

    @EventHandler
    void on(Deposited event) {
        balance += event.amount();
    }
}
