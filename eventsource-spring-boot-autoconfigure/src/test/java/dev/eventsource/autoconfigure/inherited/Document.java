package dev.eventsource.autoconfigure.inherited;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;
import java.util.List;

/** An abstract test aggregate whose handlers its concrete subclasses inherit. */
public abstract class Document extends AggregateRoot {

    private String title;

    public String title() {
        return title;
    }

    @CommandHandler
    List<Event> handle(Title command) {
        return List.of(new Titled(command.aggregateId(), nextVersion(), Instant.now(), command.title()));
    }

    @EventHandler
    void on(Titled event) {
        this.title = event.title();
    }

    public record Title(String aggregateId, String title) implements Command {
    }

    public record Titled(String aggregateId, long version, Instant at, String title) implements Event {
    }
}
