package dev.eventsource.autoconfigure.broken.duplicate;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Event;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;

/** Its event's type name, Created, is also used by {@link Order}. */
public class Cart extends AggregateRoot {

    @EventHandler
    void on(Created event) {
    }

    public record Created(String aggregateId, long version, Instant at) implements Event {
    }
}
