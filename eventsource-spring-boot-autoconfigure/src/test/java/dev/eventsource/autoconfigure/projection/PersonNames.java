package dev.eventsource.autoconfigure.projection;

import dev.eventsource.StoredEvent;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.autoconfigure.app.Person;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A subscription projection: a person_names_view table, and which application instance handled each event. */
@Component
@Projection("person-names")
public class PersonNames {

    /** Event key (aggregate@version) to the instance that handled it, across the contexts of one JVM. */
    public static final Map<String, String> HANDLED_BY = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    private final String instance;

    public PersonNames(JdbcTemplate jdbc, @Value("${test.instance:single}") String instance) {
        this.jdbc = jdbc;
        this.instance = instance;
        jdbc.execute("CREATE TABLE IF NOT EXISTS person_names_view (id VARCHAR(64) PRIMARY KEY, name VARCHAR(64),"
                + " version BIGINT)");
    }

    @EventHandler
    void on(Person.Registered event, StoredEvent stored) {
        record(event.aggregateId() + "@" + event.version());
        this.jdbc.update("INSERT INTO person_names_view (id, name, version) VALUES (?, ?, ?)", event.aggregateId(),
                event.name(), event.version());
    }

    @EventHandler
    void on(Person.Renamed event) {
        record(event.aggregateId() + "@" + event.version());
        this.jdbc.update("UPDATE person_names_view SET name = ?, version = ? WHERE id = ?", event.name(),
                event.version(), event.aggregateId());
    }

    private void record(String key) {
        String previous = HANDLED_BY.putIfAbsent(key, this.instance);
        if (previous != null) {
            HANDLED_BY.put(key + " again", this.instance + " after " + previous);
        }
    }
}
