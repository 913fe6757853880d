package dev.eventsource.autoconfigure.snapshot;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;

/** A test aggregate without {@code @Snapshotting}: a running total. */
public class Tally extends AggregateRoot {

    private long total;

    @CommandHandler
    Event handle(Add command) {
        return new Added(command.aggregateId(), nextVersion(), Instant.now(), command.amount());
    }

    @EventHandler
    void on(Added event) {
        this.total += event.amount();
    }

    /** @return everything the tally holds, to compare loads */
    public String state() {
        return "v" + version() + " total " + this.total;
    }

    public record Add(String aggregateId, long amount) implements Command {
    }

    public record Added(String aggregateId, long version, Instant at, long amount) implements Event {
    }
}
