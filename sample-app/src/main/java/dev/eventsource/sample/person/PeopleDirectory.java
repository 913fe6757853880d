package dev.eventsource.sample.person;

import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.annotation.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The people directory: a read model of every person (id, name, email, version) in the table
 * {@code people_directory}, kept up to date by a projection of the person events, for {@code GET /people}.
 *
 * <p>It is <em>eventually consistent</em>: the projection runs as the subscription "people" on its own thread,
 * so a person created or changed a moment ago may be missing or one version behind here for a short while
 * (normally milliseconds: an append in this application wakes the subscription at once, and on PostgreSQL so does
 * an append by any instance; otherwise within {@code eventsource.subscriptions.people.poll-interval}). Reading one
 * person by id ({@code GET /people/{id}}) loads the aggregate itself and is always current.
 *
 * <p>Each batch of events and the subscription's checkpoint commit in one transaction, so every event changes
 * the table exactly once; the statements are idempotent anyway (an insert only when missing, updates only to a
 * newer version), the safe habit for at-least-once handlers.
 */
@Component
@Projection("people")
public class PeopleDirectory {

    /** A row of the directory. */
    public record Entry(String id, String name, String email, long version) {
    }

    private final JdbcTemplate jdbc;

    PeopleDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        // A read model can be dropped and rebuilt from the events (reset the subscription's checkpoint), so the
        // sample keeps its table out of the event store's schema and creates it here.
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS people_directory (
                    id      VARCHAR(255) PRIMARY KEY,
                    name    VARCHAR(255) NOT NULL,
                    email   VARCHAR(255) NOT NULL,
                    version BIGINT       NOT NULL
                )""");
    }

    @EventHandler
    void on(Person.PersonCreated event) {
        this.jdbc.update("""
                INSERT INTO people_directory (id, name, email, version)
                SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM people_directory WHERE id = ?)""",
                event.aggregateId(), event.name(), event.email(), event.version(), event.aggregateId());
    }

    @EventHandler
    void on(Person.NameChanged event) {
        this.jdbc.update("UPDATE people_directory SET name = ?, version = ? WHERE id = ? AND version < ?",
                event.name(), event.version(), event.aggregateId(), event.version());
    }

    @EventHandler
    void on(Person.EmailChanged event) {
        this.jdbc.update("UPDATE people_directory SET email = ?, version = ? WHERE id = ? AND version < ?",
                event.email(), event.version(), event.aggregateId(), event.version());
    }

    /**
     * Empties the directory when the subscription is reset (the event browser's Rebuild button, or
     * {@code POST /actuator/eventsource/people {"operation":"reset"}}), in the transaction that moves its checkpoint
     * back, so the directory is then built again from the events.
     */
    @ResetHandler
    void clear() {
        this.jdbc.update("DELETE FROM people_directory");
    }

    /**
     * Lists everyone in the directory, oldest first (ids are time-ordered).
     *
     * @return the entries, possibly a moment behind the events
     */
    public List<Entry> list() {
        return this.jdbc.query("SELECT id, name, email, version FROM people_directory ORDER BY id",
                (row, n) -> new Entry(row.getString(1), row.getString(2), row.getString(3), row.getLong(4)));
    }
}
