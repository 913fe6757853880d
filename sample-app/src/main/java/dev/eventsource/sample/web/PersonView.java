package dev.eventsource.sample.web;

import dev.eventsource.sample.person.Person;

/**
 * A person as the API shows it.
 *
 * @param id the person's id
 * @param name their name
 * @param email their email address
 * @param version the version of the person's history this state is at
 */
public record PersonView(String id, String name, String email, long version) {

    static PersonView of(Person person) {
        return new PersonView(person.id(), person.name(), person.email(), person.version());
    }
}
