package dev.eventsource.autoconfigure.broken.constructor;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Event;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;

/** An aggregate the repository cannot create: no no-argument constructor. */
public class NoDefaultConstructor extends AggregateRoot {

    private final String name;

    public NoDefaultConstructor(String name) {
        this.name = name;
    }

    @EventHandler
    void on(Happened event) {
    }

    public record Happened(String aggregateId, long version, Instant at) implements Event {
    }
}
