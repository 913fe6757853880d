package dev.eventsource.test;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A small aggregate for testing the fixture, written the way a user writes one. */
final class Person extends AggregateRoot {

    record PersonCreated(String aggregateId, long version, Instant at, String name) implements Event {
    }

    record NameChanged(String aggregateId, long version, Instant at, String name) implements Event {
    }

    record CreatePerson(String aggregateId, String name) implements Command {
    }

    record ChangeName(String aggregateId, String name) implements Command {
    }

    /** Produces one NameChanged per name. */
    record ChangeNames(String aggregateId, List<String> names) implements Command {
    }

    /** A handler bug: produces an event with a version that does not continue the history. */
    record MisnumberedChange(String aggregateId) implements Command {
    }

    private final Clock clock;
    private String name;
    private final List<String> formerNames = new ArrayList<>();

    Person() {
        this(Clock.systemUTC());
    }

    Person(Clock clock) {
        this.clock = clock;
    }

    String name() {
        return name;
    }

    List<String> formerNames() {
        return formerNames;
    }

    @CommandHandler
    PersonCreated handle(CreatePerson command) {
        if (name != null) {
            throw new IllegalStateException("Person " + command.aggregateId() + " already exists");
        }
        requireName(command.name());
        return new PersonCreated(command.aggregateId(), nextVersion(), clock.instant(), command.name());
    }

    @CommandHandler
    List<Event> handle(ChangeName command) {
        requireExisting(command.aggregateId());
        requireName(command.name());
        if (command.name().equals(name)) {
            return List.of();
        }
        return List.of(new NameChanged(command.aggregateId(), nextVersion(), clock.instant(), command.name()));
    }

    @CommandHandler
    List<Event> handle(ChangeNames command) {
        requireExisting(command.aggregateId());
        List<Event> events = new ArrayList<>();
        for (String newName : command.names()) {
            events.add(new NameChanged(command.aggregateId(), nextVersion(), clock.instant(), newName));
        }
        return events;
    }

    @CommandHandler
    NameChanged handle(MisnumberedChange command) {
        return new NameChanged(command.aggregateId(), version() + 7, clock.instant(), "misnumbered");
    }

    @EventHandler
    void on(PersonCreated event) {
        name = event.name();
    }

    @EventHandler
    void on(NameChanged event) {
        formerNames.add(name);
        name = event.name();
    }

    private void requireExisting(String id) {
        if (name == null) {
            throw new IllegalStateException("Person " + id + " does not exist; create it first");
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A person's name must not be blank");
        }
    }
}
