package dev.eventsource.autoconfigure.projection;

import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.autoconfigure.app.Person;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * An inline projection: a row per registration, written in the append's transaction; "boom" fails it, "full" fails
 * it with a checked exception.
 */
@Component
@Projection(value = "inline-registrations", inline = true)
public class InlineRegistrations {

    private final JdbcTemplate jdbc;

    public InlineRegistrations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("CREATE TABLE IF NOT EXISTS inline_registrations (id VARCHAR(64) PRIMARY KEY, name VARCHAR(64))");
    }

    @EventHandler
    void on(Person.Registered event) throws IOException {
        if (event.name().equals("boom")) {
            throw new IllegalStateException("inline projection refuses 'boom'");
        }
        if (event.name().equals("full")) {
            throw new IOException("no space left for 'full'");
        }
        this.jdbc.update("INSERT INTO inline_registrations (id, name) VALUES (?, ?)", event.aggregateId(),
                event.name());
    }
}
