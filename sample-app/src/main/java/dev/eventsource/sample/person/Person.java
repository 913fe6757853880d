package dev.eventsource.sample.person;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.sample.StaleVersionException;
import dev.eventsource.sample.UnknownAggregateException;

import java.time.Instant;
import java.util.List;

/**
 * A person with a name and an email address; the seed's example aggregate. A change to the value it already has
 * produces no event.
 */
public class Person extends AggregateRoot {

    static final String KIND = "person";

    private String name;

    private String email;

    /** @return the current name */
    public String name() {
        return this.name;
    }

    /** @return the current email address */
    public String email() {
        return this.email;
    }

    @CommandHandler
    List<Event> handle(CreatePerson command) {
        if (version() > 0) {
            throw new IllegalStateException("Person '" + command.aggregateId() + "' already exists");
        }
        return List.of(new PersonCreated(command.aggregateId(), nextVersion(), Instant.now(), command.name(),
                command.email()));
    }

    @CommandHandler
    List<Event> handle(ChangeName command) {
        requireExisting(command.aggregateId(), command.expectedVersion());
        if (command.name().equals(this.name)) {
            return List.of();
        }
        return List.of(new NameChanged(command.aggregateId(), nextVersion(), Instant.now(), command.name()));
    }

    @CommandHandler
    List<Event> handle(ChangeEmail command) {
        requireExisting(command.aggregateId(), command.expectedVersion());
        if (command.email().equals(this.email)) {
            return List.of();
        }
        return List.of(new EmailChanged(command.aggregateId(), nextVersion(), Instant.now(), command.email()));
    }

    private void requireExisting(String id, Long expectedVersion) {
        if (version() == 0) {
            throw new UnknownAggregateException(KIND, id);
        }
        StaleVersionException.check(KIND, id, expectedVersion, version());
    }

    @EventHandler
    void on(PersonCreated event) {
        this.name = event.name();
        this.email = event.email();
    }

    @EventHandler
    void on(NameChanged event) {
        this.name = event.name();
    }

    @EventHandler
    void on(EmailChanged event) {
        this.email = event.email();
    }

    /**
     * Creates a person.
     *
     * @param aggregateId the new person's id
     * @param name their name
     * @param email their email address
     * @param commandId the request's idempotency key, or {@code null}
     */
    public record CreatePerson(String aggregateId, String name, String email, String commandId) implements Command {
    }

    /**
     * Changes a person's name.
     *
     * @param aggregateId the person's id
     * @param name the new name
     * @param expectedVersion the version the change is based on, or {@code null} to change whatever the version
     * @param commandId the request's idempotency key, or {@code null}
     */
    public record ChangeName(String aggregateId, String name, Long expectedVersion, String commandId)
            implements Command {
    }

    /**
     * Changes a person's email address.
     *
     * @param aggregateId the person's id
     * @param email the new address
     * @param expectedVersion the version the change is based on, or {@code null} to change whatever the version
     * @param commandId the request's idempotency key, or {@code null}
     */
    public record ChangeEmail(String aggregateId, String email, Long expectedVersion, String commandId)
            implements Command {
    }

    /**
     * A person was created.
     *
     * @param aggregateId the person's id
     * @param version 1
     * @param at when
     * @param name their name
     * @param email their email address
     */
    public record PersonCreated(String aggregateId, long version, Instant at, String name, String email)
            implements Event {
    }

    /**
     * A person's name changed.
     *
     * @param aggregateId the person's id
     * @param version the person's version after the change
     * @param at when
     * @param name the new name
     */
    public record NameChanged(String aggregateId, long version, Instant at, String name) implements Event {
    }

    /**
     * A person's email address changed.
     *
     * @param aggregateId the person's id
     * @param version the person's version after the change
     * @param at when
     * @param email the new address
     */
    public record EmailChanged(String aggregateId, long version, Instant at, String email) implements Event {
    }
}
