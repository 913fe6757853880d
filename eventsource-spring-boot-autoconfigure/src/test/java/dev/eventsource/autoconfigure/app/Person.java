package dev.eventsource.autoconfigure.app;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;
import java.util.List;

/** A test aggregate: a person with a name. */
public class Person extends AggregateRoot {

    private String name;

    public String name() {
        return name;
    }

    @CommandHandler
    List<Event> handle(Register command) {
        return List.of(new Registered(command.aggregateId(), nextVersion(), Instant.now(), command.name()));
    }

    @CommandHandler
    List<Event> handle(Rename command) {
        if (command.name().equals(name)) {
            return List.of();
        }
        return List.of(new Renamed(command.aggregateId(), nextVersion(), Instant.now(), command.name()));
    }

    @EventHandler
    void on(Registered event) {
        this.name = event.name();
    }

    @EventHandler
    void on(Renamed event) {
        this.name = event.name();
    }

    public record Register(String aggregateId, String name) implements Command {
    }

    public record Rename(String aggregateId, String name) implements Command {
    }

    public record Registered(String aggregateId, long version, Instant at, String name) implements Event {
    }

    public record Renamed(String aggregateId, long version, Instant at, String name) implements Event {
    }
}
