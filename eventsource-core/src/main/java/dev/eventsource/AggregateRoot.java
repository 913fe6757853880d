package dev.eventsource;

import dev.eventsource.annotation.EventHandler;
import dev.eventsource.internal.AggregateModel;
import org.jspecify.annotations.Nullable;

/**
 * A convenient base for aggregates with {@link EventHandler @EventHandler} methods: it remembers the id and
 * version of the last applied event, and hands out the versions of the events a command handler creates, so
 * handlers do no version arithmetic:
 *
 * <pre>{@code
 * @CommandHandler
 * List<Event> handle(Rename command) {
 *     return List.of(new NameChanged(command.aggregateId(), nextVersion(), Instant.now(), command.name()));
 * }
 * }</pre>
 */
public abstract class AggregateRoot implements Aggregate {

    private @Nullable String id;
    private long version;
    private long reserved;

    /**
     * Dispatches the event to its {@code @EventHandler} method, then records its id and version.
     *
     * @param event the next event of the history
     * @throws UnhandledEventException when no handler accepts the event
     */
    @Override
    public final void on(Event event) {
        AggregateModel.of(getClass()).applyEvent(this, event);
        this.id = event.aggregateId();
        this.version = event.version();
        this.reserved = event.version();
    }

    /** @return the id of the last applied event, or {@code null} for an aggregate without history */
    public final @Nullable String id() {
        return id;
    }

    /** @return the version of the last applied event, 0 for an aggregate without history */
    public final long version() {
        return version;
    }

    /**
     * Reserves the version of the next event this command creates: the first call after the aggregate was
     * loaded returns {@code version() + 1}, the next call {@code version() + 2}, and so on. Call it once per
     * event, in the order the events are returned.
     *
     * @return the version for the next new event
     */
    protected final long nextVersion() {
        return ++reserved;
    }
}
