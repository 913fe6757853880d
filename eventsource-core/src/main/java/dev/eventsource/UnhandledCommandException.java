package dev.eventsource;

/**
 * Thrown when a command reaches an aggregate that cannot handle it: the aggregate neither implements
 * {@link CommandHandler} nor has a {@link dev.eventsource.annotation.CommandHandler @CommandHandler} method for the
 * command's class. Nothing is stored.
 */
public class UnhandledCommandException extends EventSourceException {

    private final Class<?> aggregateType;
    private final Class<?> commandType;

    /**
     * @param aggregateType the aggregate class without a handler
     * @param commandType the class of the command
     */
    public UnhandledCommandException(Class<?> aggregateType, Class<?> commandType) {
        super("Aggregate " + aggregateType.getName() + " cannot handle command " + commandType.getName()
                + ": add a @CommandHandler method taking " + commandType.getSimpleName()
                + ", or implement dev.eventsource.CommandHandler");
        this.aggregateType = aggregateType;
        this.commandType = commandType;
    }

    /** @return the aggregate class without a handler */
    public Class<?> aggregateType() {
        return aggregateType;
    }

    /** @return the class of the unhandled command */
    public Class<?> commandType() {
        return commandType;
    }
}
