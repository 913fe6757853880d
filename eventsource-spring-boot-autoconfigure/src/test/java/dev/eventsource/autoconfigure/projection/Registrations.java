package dev.eventsource.autoconfigure.projection;

import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.app.Person;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registers people in a transaction, failing after the append when asked. */
@Service
public class Registrations {

    private final Repository<Person> people;

    public Registrations(Repository<Person> people) {
        this.people = people;
    }

    @Transactional
    public void register(String id, String name, boolean failAfterAppend) {
        this.people.apply(new Person.Register(id, name));
        if (failAfterAppend) {
            throw new IllegalStateException("failing after the append");
        }
    }
}
