package dev.eventsource.autoconfigure.other;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Event;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;

/** A test aggregate outside the application's package, found only through eventsource.scan.base-packages. */
public class Ticket extends AggregateRoot {

    @EventHandler
    void on(Opened event) {
    }

    public record Opened(String aggregateId, long version, Instant at) implements Event {
    }
}
