package dev.eventsource;

/**
 * Thrown when a command was handled but produced no events: the seed's {@code ErrNoEventsProduced}.
 * Depending on the application this may be expected (an idempotent command), so it is a distinct type.
 */
public class NoEventsProducedException extends EventSourceException {

    private final String aggregateId;
    private final String commandType;

    public NoEventsProducedException(String aggregateId, String commandType) {
        super("Command " + commandType + " on aggregate '" + aggregateId + "' produced no events");
        this.aggregateId = aggregateId;
        this.commandType = commandType;
    }

    /** @return the id of the aggregate the command addressed */
    public String aggregateId() {
        return aggregateId;
    }

    /** @return the simple class name of the command */
    public String commandType() {
        return commandType;
    }
}
