package dev.eventsource;

import java.util.List;

/**
 * Validates a command against the aggregate's current state and returns the events it produces. Implemented by
 * the aggregate itself (as in the seed); an alternative is one
 * {@link dev.eventsource.annotation.CommandHandler @CommandHandler} method per command type.
 *
 * <p>Throw an exception of your own to refuse the command: it reaches the caller of
 * {@link Repository#apply(Command)} unchanged, and nothing is stored.
 */
@FunctionalInterface
public interface CommandHandler {

    /**
     * Handles one command.
     *
     * @param command the command, never null
     * @return the events to append, each for the command's aggregate and continuing its versions; an empty list
     *     makes {@link Repository#apply(Command)} throw {@link NoEventsProducedException}
     */
    List<? extends Event> apply(Command command);
}
