package dev.eventsource.autoconfigure.app;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;

import java.math.BigDecimal;
import java.time.Instant;

/** A test aggregate: an account with a balance. */
public class Account extends AggregateRoot {

    private BigDecimal balance = BigDecimal.ZERO;

    public BigDecimal balance() {
        return balance;
    }

    @CommandHandler
    Event handle(Deposit command) {
        return new Deposited(command.aggregateId(), nextVersion(), Instant.now(), command.amount());
    }

    @EventHandler
    void on(Deposited event) {
        this.balance = this.balance.add(event.amount());
    }

    public record Deposit(String aggregateId, BigDecimal amount) implements Command {
    }

    public record Deposited(String aggregateId, long version, Instant at, BigDecimal amount) implements Event {
    }
}
