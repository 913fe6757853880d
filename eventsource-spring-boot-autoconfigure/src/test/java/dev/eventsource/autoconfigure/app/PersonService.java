package dev.eventsource.autoconfigure.app;

import dev.eventsource.Repository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registers people and writes a read-model row in the same transaction. */
@Service
public class PersonService {

    private final Repository<Person> people;

    private final JdbcTemplate jdbc;

    public PersonService(Repository<Person> people, JdbcTemplate jdbc) {
        this.people = people;
        this.jdbc = jdbc;
    }

    @Transactional
    public void register(String id, String name, boolean fail) {
        people.apply(new Person.Register(id, name));
        jdbc.update("INSERT INTO person_names (id, name) VALUES (?, ?)", id, name);
        if (fail) {
            throw new IllegalStateException("failing after the append and the insert");
        }
    }

    public int nameRows(String id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM person_names WHERE id = ?", Integer.class, id);
    }
}
