package dev.eventsource.test.autoconfigure.shop;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The shop's aggregate: a cart of items, at most three. */
public class Cart extends AggregateRoot {

    private final List<String> items = new ArrayList<>();

    public List<String> items() {
        return List.copyOf(items);
    }

    @CommandHandler
    Event handle(AddItem command) {
        if (items.size() >= 3) {
            throw new IllegalStateException("A cart holds at most 3 items");
        }
        return new ItemAdded(command.aggregateId(), nextVersion(), Instant.now(), command.item());
    }

    @EventHandler
    void on(ItemAdded event) {
        items.add(event.item());
    }

    public record AddItem(String aggregateId, String item) implements Command {
    }

    public record ItemAdded(String aggregateId, long version, Instant at, String item) implements Event {
    }
}
