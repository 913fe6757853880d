package dev.eventsource.autoconfigure.broken.notaggregate;

import dev.eventsource.Event;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;

/** Declares an @EventHandler but is neither an aggregate nor a projection: a start-up failure. */
public class Tally {

    @EventHandler
    void on(Counted event) {
    }

    public record Counted(String aggregateId, long version, Instant at) implements Event {
    }
}
