package dev.eventsource.benchmarks.model;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Account} with one difference: the opening command's handler declares {@code creates = true}, so the
 * repository appends its events without loading first (issue 15). Same events, same commands.
 */
public class CreatingAccount extends AggregateRoot {

    private String owner;
    private long balance;

    /** @return the balance, in cents */
    public long balance() {
        return balance;
    }

    @CommandHandler(creates = true)
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
