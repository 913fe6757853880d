package dev.eventsource;

import java.util.List;

/**
 * What {@link Repository#execute(Command)} did: the aggregate after the command, its version and the events
 * the command produced, so that a caller can answer without loading the aggregate a second time.
 *
 * @param aggregate the aggregate with the command's events applied
 * @param version the aggregate's version after the command's events
 * @param events the events the command produced, in version order
 * @param duplicate {@code true} when the command carried an id that was already stored for the aggregate: nothing
 *     ran and nothing was stored, and the other components describe the original outcome (the aggregate as it was
 *     right after the original command)
 * @param <A> the aggregate type
 */
public record CommandResult<A extends Aggregate>(A aggregate, long version, List<Event> events, boolean duplicate) {

    /** Copies the events. */
    public CommandResult {
        events = List.copyOf(events);
    }
}
