package dev.eventsource.autoconfigure.migration;

import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.autoconfigure.app.Person;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/** A subscription projection into people_view, a table the application's own migration creates. */
@Projection("people-view")
public class PeopleView {

    private final JdbcTemplate jdbc;

    public PeopleView(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @EventHandler
    void on(Person.Registered event) {
        this.jdbc.update("INSERT INTO people_view (id, name) VALUES (?, ?)", event.aggregateId(), event.name());
    }
}
