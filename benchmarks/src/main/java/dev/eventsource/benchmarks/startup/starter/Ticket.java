package dev.eventsource.benchmarks.startup.starter;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Event;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;

/** The starter application's one aggregate, so start-up includes scanning, binding and a repository bean. */
public class Ticket extends AggregateRoot {

    private boolean closed;

    /** @return whether the ticket was closed */
    public boolean closed() {
        return closed;
    }

    @EventHandler
    void on(TicketClosed event) {
        closed = true;
    }

    /**
     * A ticket was closed.
     *
     * @param aggregateId the ticket
     * @param version its version after the event
     * @param at when
     */
    public record TicketClosed(String aggregateId, long version, Instant at) implements Event {
    }
}
