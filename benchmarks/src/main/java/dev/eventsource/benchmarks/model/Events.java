package dev.eventsource.benchmarks.model;

import dev.eventsource.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The histories the benchmarks seed and the events the commands produce, alike for every contender. */
public final class Events {

    /** The reference every deposit carries. */
    public static final String REFERENCE = "invoice 2024-000123, thank you";

    private Events() {
    }

    /** @return an account's first {@code count} events: opened, then deposits of one cent */
    public static List<Event> history(String aggregateId, int count) {
        List<Event> events = new ArrayList<>(count);
        Instant at = Instant.now();
        events.add(new AccountOpened(aggregateId, 1, at, "owner-" + aggregateId));
        for (int version = 2; version <= count; version++) {
            events.add(new Deposited(aggregateId, version, at, 1, REFERENCE));
        }
        return events;
    }
}
