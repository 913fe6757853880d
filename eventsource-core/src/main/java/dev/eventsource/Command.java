package dev.eventsource;

/**
 * A request to change one aggregate; it may be refused. Name commands in the imperative ({@code ChangeName});
 * the events they produce in the past tense ({@code NameChanged}). Commands are usually Java records:
 *
 * <pre>{@code
 * record ChangeName(String aggregateId, String name) implements Command {}
 * }</pre>
 */
public interface Command {

    /** @return the id of the aggregate the command addresses; never null or blank */
    String aggregateId();
}
