package dev.eventsource.autoconfigure.broken.handler;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Event;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;

/** An {@code @EventHandler} with two parameters. */
public class Malformed extends AggregateRoot {

    @EventHandler
    void on(Happened event, String extra) {
    }

    public record Happened(String aggregateId, long version, Instant at) implements Event {
    }
}
