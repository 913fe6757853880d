package dev.eventsource.readme;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.Repository;
import dev.eventsource.StoredEvent;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The example of the README's "A first aggregate" section, kept compiling and running. When you change one, change
 * the other.
 */
class ReadmeExampleTests {

    // README example: start
    record PersonCreated(String aggregateId, long version, Instant at, String name) implements Event {}

    record NameChanged(String aggregateId, long version, Instant at, String name) implements Event {}

    record CreatePerson(String aggregateId, String name) implements Command {}

    record ChangeName(String aggregateId, String name) implements Command {}

    static class Person extends AggregateRoot {
        private String name;

        @CommandHandler
        List<Event> handle(CreatePerson command) {
            if (version() > 0) {
                throw new IllegalStateException("person " + command.aggregateId() + " already exists");
            }
            return List.of(new PersonCreated(command.aggregateId(), nextVersion(), Instant.now(), command.name()));
        }

        @CommandHandler
        List<Event> handle(ChangeName command) {
            if (command.name().isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            return List.of(new NameChanged(command.aggregateId(), nextVersion(), Instant.now(), command.name()));
        }

        @EventHandler
        void on(PersonCreated event) {
            this.name = event.name();
        }

        @EventHandler
        void on(NameChanged event) {
            this.name = event.name();
        }

        String name() {
            return name;
        }
    }
    // README example: end

    @Test
    void readmeExampleRunsAsPrinted() {
        // README example usage: start
        Repository<Person> people = Repository.builder(Person.class).build(); // in-memory store, JSON serializer

        people.apply(new CreatePerson("p-1", "Ada"));
        long version = people.apply(new ChangeName("p-1", "Ada Lovelace"));

        Person person = people.load("p-1");
        // person.name() is "Ada Lovelace", person.version() and version are 2
        // README example usage: end

        assertThat(person.name()).isEqualTo("Ada Lovelace");
        assertThat(person.version()).isEqualTo(2);
        assertThat(version).isEqualTo(2);
        assertThat(people.history("p-1")).extracting(StoredEvent::event)
                .extracting(Event::type)
                .containsExactly("PersonCreated", "NameChanged");
        assertThatThrownBy(() -> people.apply(new ChangeName("p-1", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must not be blank");
        assertThat(people.load("p-1").version()).isEqualTo(2);
    }
}
