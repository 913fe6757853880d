package dev.eventsource.autoconfigure.ops;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;

/** A test aggregate: a ticket with a title. */
public class Ticket extends AggregateRoot {

    private String title = "";

    public String title() {
        return this.title;
    }

    @CommandHandler
    Event handle(Open command) {
        return new Opened(command.aggregateId(), nextVersion(), Instant.now(), command.title());
    }

    @EventHandler
    void on(Opened event) {
        this.title = event.title();
    }

    public record Open(String aggregateId, String title) implements Command {
    }

    public record Opened(String aggregateId, long version, Instant at, String title) implements Event {
    }
}
