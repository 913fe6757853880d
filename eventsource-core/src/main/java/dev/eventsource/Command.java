package dev.eventsource;

import org.jspecify.annotations.Nullable;

/**
 * A request to change one aggregate; it may be refused. Name commands in the imperative ({@code ChangeName});
 * the events they produce in the past tense ({@code NameChanged}). Commands are usually Java records:
 *
 * <pre>{@code
 * record ChangeName(String aggregateId, String name) implements Command {}
 * }</pre>
 *
 * <p>A command may carry an id (an idempotency key, for example from an HTTP {@code Idempotency-Key} header):
 * give the record a {@code String commandId} component. The repository stores the id with the events the command
 * produced, in the same append, and answers a command whose id is already stored for the aggregate with the
 * original outcome instead of running it again.
 */
public interface Command {

    /** @return the id of the aggregate the command addresses; never null or blank */
    String aggregateId();

    /**
     * Returns the command's id, which makes it apply at most once per aggregate: a command whose id is already
     * stored with the aggregate's events handles nothing and returns the original outcome.
     *
     * @return the id, at most 255 characters, or null (the default) for a command that runs every time
     */
    default @Nullable String commandId() {
        return null;
    }
}
