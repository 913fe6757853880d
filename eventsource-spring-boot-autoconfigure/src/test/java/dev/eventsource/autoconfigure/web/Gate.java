package dev.eventsource.autoconfigure.web;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test aggregate whose command handler runs {@link #HOOK} between the repository's load and its append, so a test
 * can break the database connection exactly there.
 */
public class Gate extends AggregateRoot {

    /** Run by the command handler; a no-op unless a test sets it. */
    public static final AtomicReference<Runnable> HOOK = new AtomicReference<>(() -> { });

    private boolean open;

    public boolean isOpen() {
        return this.open;
    }

    @CommandHandler
    List<Event> handle(Open command) {
        HOOK.get().run();
        return List.of(new Opened(command.aggregateId(), nextVersion(), Instant.now()));
    }

    @EventHandler
    void on(Opened event) {
        this.open = true;
    }

    public record Open(String aggregateId) implements Command {
    }

    public record Opened(String aggregateId, long version, Instant at) implements Event {
    }
}
