package dev.eventsource.autoconfigure.snapshot;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Snapshotting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A test aggregate with snapshots every 10 events: a ledger that refuses to go below zero. */
@Snapshotting(every = 10)
public class Ledger extends AggregateRoot {

    private long balance;

    private int entries;

    private final List<String> lastMemos = new ArrayList<>();

    @CommandHandler
    Event handle(Deposit command) {
        return new Deposited(command.aggregateId(), nextVersion(), Instant.now(), command.amount(), command.memo());
    }

    @CommandHandler
    Event handle(Withdraw command) {
        if (command.amount() > this.balance) {
            throw new IllegalStateException("ledger " + command.aggregateId() + " holds " + this.balance
                    + ", less than " + command.amount());
        }
        return new Withdrew(command.aggregateId(), nextVersion(), Instant.now(), command.amount(), command.memo());
    }

    @EventHandler
    void on(Deposited event) {
        this.balance += event.amount();
        remember(event.memo());
    }

    @EventHandler
    void on(Withdrew event) {
        this.balance -= event.amount();
        remember(event.memo());
    }

    private void remember(String memo) {
        this.entries++;
        this.lastMemos.add(memo);
        if (this.lastMemos.size() > 3) {
            this.lastMemos.remove(0);
        }
    }

    /** @return everything the ledger holds, to compare loads */
    public String state() {
        return "v" + version() + " balance " + this.balance + " entries " + this.entries + " memos " + this.lastMemos;
    }

    public long balance() {
        return this.balance;
    }

    public record Deposit(String aggregateId, long amount, String memo) implements Command {
    }

    public record Withdraw(String aggregateId, long amount, String memo) implements Command {
    }

    public record Deposited(String aggregateId, long version, Instant at, long amount, String memo) implements Event {
    }

    public record Withdrew(String aggregateId, long version, Instant at, long amount, String memo) implements Event {
    }
}
