package dev.eventsource.autoconfigure.broken.twins.east;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Event;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.EventType;

import java.time.Instant;

/** One of two aggregates with the same simple name, so the same stream type name. */
public class Ledger extends AggregateRoot {

    @EventHandler
    void on(Posted event) {
    }

    /** Named apart, so that only the aggregate type names collide. */
    @EventType("eastPosted")
    public record Posted(String aggregateId, long version, Instant at) implements Event {
    }
}
