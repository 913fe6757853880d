package dev.eventsource.sample.person;

import dev.eventsource.Command;
import dev.eventsource.NoEventsProducedException;
import dev.eventsource.Repository;
import dev.eventsource.StoredEvent;
import dev.eventsource.sample.UnknownAggregateException;
import dev.eventsource.sample.idempotency.IdempotencyKey;
import dev.eventsource.sample.idgen.TimeOrderedIds;
import org.springframework.stereotype.Service;

import java.util.List;

/** Creates and changes people through their repository. */
@Service
public class PersonService {

    private final Repository<Person> people;

    private final TimeOrderedIds ids;

    /**
     * Creates the service.
     *
     * @param people the repository the starter registered for {@link Person}
     * @param ids where new ids come from
     */
    public PersonService(Repository<Person> people, TimeOrderedIds ids) {
        this.people = people;
        this.ids = ids;
    }

    /**
     * Creates a person with a new id.
     *
     * @param name their name
     * @param email their email address
     * @param key the request's idempotency key, or {@code null}
     * @return the new person (for a retried key, the person the first request created)
     */
    public Person create(String name, String email, IdempotencyKey key) {
        String id = (key != null) ? key.aggregateId(Person.KIND) : this.ids.next();
        Person.CreatePerson command = new Person.CreatePerson(id, name, email, IdempotencyKey.commandId(key));
        return IdempotencyKey.answer(this.people.execute(command), key, this.people);
    }

    /**
     * Returns a person as they are now.
     *
     * @param id the person's id
     * @return the person
     * @throws UnknownAggregateException when there is no such person
     */
    public Person get(String id) {
        return UnknownAggregateException.orUnknown(Person.KIND, id, () -> this.people.load(id));
    }

    /**
     * Changes a person's name.
     *
     * @param id the person's id
     * @param name the new name
     * @param expectedVersion the version the change is based on, or {@code null}
     * @param key the request's idempotency key, or {@code null}
     * @return the person after the change (unchanged when the name was already this one)
     * @throws UnknownAggregateException when there is no such person
     * @throws dev.eventsource.sample.StaleVersionException when the person is no longer at the expected version
     */
    public Person rename(String id, String name, Long expectedVersion, IdempotencyKey key) {
        return change(new Person.ChangeName(id, name, expectedVersion, IdempotencyKey.commandId(key)), key);
    }

    /**
     * Changes a person's email address.
     *
     * @param id the person's id
     * @param email the new address
     * @param expectedVersion the version the change is based on, or {@code null}
     * @param key the request's idempotency key, or {@code null}
     * @return the person after the change (unchanged when the address was already this one)
     * @throws UnknownAggregateException when there is no such person
     * @throws dev.eventsource.sample.StaleVersionException when the person is no longer at the expected version
     */
    public Person changeEmail(String id, String email, Long expectedVersion, IdempotencyKey key) {
        return change(new Person.ChangeEmail(id, email, expectedVersion, IdempotencyKey.commandId(key)), key);
    }

    /**
     * Returns a person's history.
     *
     * @param id the person's id
     * @return their events with metadata, oldest first
     * @throws UnknownAggregateException when there is no such person
     */
    public List<StoredEvent> history(String id) {
        return UnknownAggregateException.orUnknown(Person.KIND, id, () -> this.people.history(id));
    }


    private Person change(Command command, IdempotencyKey key) {
        try {
            // The answer is the person right after the change, as the repository returns it: a write that committed
            // is never answered from a second read that could fail.
            return UnknownAggregateException.orUnknown(Person.KIND, command.aggregateId(),
                    () -> IdempotencyKey.answer(this.people.execute(command), key, this.people));
        }
        catch (NoEventsProducedException unchanged) {
            // Setting the value a person already has is a successful no-op, not an error: nothing was written.
            return get(command.aggregateId());
        }
    }
}
