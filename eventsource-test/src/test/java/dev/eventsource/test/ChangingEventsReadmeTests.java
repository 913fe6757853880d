package dev.eventsource.test;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Event;
import dev.eventsource.Repository;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.EventType;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.upcast.Upcaster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worked example of the README's "Changing events" section, its upcasters copied as they are written there
 * (as static methods instead of Spring beans), so it keeps compiling and doing what the README says.
 */
class ChangingEventsReadmeTests {

    // revision 1: {"name": "Ada Lovelace", "street": "12 St James's Square", "city": "London"}
    // revision 2: {"name": "Ada Lovelace", "address": {"street": "12 St James's Square", "city": "London"}}
    // revision 3: {"name": {"first": "Ada", "last": "Lovelace"}, "address": {...}}
    @EventType(value = "PersonCreated", revision = 3)
    record PersonCreated(String aggregateId, long version, Instant at, Name name, Address address) implements Event {}
    record Name(String first, String last) {}
    record Address(String street, String city) {}

    static Upcaster personCreatedAddress() {           // 1 -> 2, from helpers
        return Upcaster.from("PersonCreated", 1)
                .moveField("street", "address.street")
                .moveField("city", "address.city");
    }

    static Upcaster personCreatedName() {              // 2 -> 3, any change of the tree
        return Upcaster.from("PersonCreated", 2).transform("split the name", (payload, stored) -> {
            String name = payload.path("name").asString("");
            int space = name.lastIndexOf(' ');
            payload.putObject("name")
                    .put("first", space < 0 ? name : name.substring(0, space))
                    .put("last", space < 0 ? "" : name.substring(space + 1));
            return payload;
        });
    }

    static final class Person extends AggregateRoot {
        PersonCreated created;

        @EventHandler
        void on(PersonCreated event) {
            this.created = event;
        }
    }

    @Test
    @DisplayName("events stored in revisions 1 and 2 read as revision 3 through the README's two upcasters")
    void workedExample() {
        JacksonSerializer serializer = JacksonSerializer.json()
                .addUpcasters(personCreatedAddress(), personCreatedName());
        Repository<Person> people = Repository.builder(Person.class).store(new MemoryStore()).serializer(serializer)
                .build();
        serializer.verifyUpcasters();
        PastEvents past = PastEvents.into(people);

        past.append("p-1", "PersonCreated", 1, """
                {"name": "Ada Lovelace", "street": "12 St James's Square", "city": "London"}""");
        past.append("p-2", "PersonCreated", 2, """
                {"name": "Grace", "address": {"street": "1 Navy Yard", "city": "Arlington"}}""");

        PersonCreated ada = people.load("p-1").created;
        assertThat(ada.name()).isEqualTo(new Name("Ada", "Lovelace"));
        assertThat(ada.address()).isEqualTo(new Address("12 St James's Square", "London"));
        assertThat(people.load("p-2").created.name()).isEqualTo(new Name("Grace", ""));
    }
}
