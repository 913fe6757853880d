package dev.eventsource;

/**
 * Receives each event a repository appended, after the append succeeded; the seed's observers. An exception
 * thrown by an observer reaches the caller of {@link Repository#apply(Command)}, but the events stay stored.
 */
@FunctionalInterface
public interface Observer {

    /**
     * Called once per appended event, in version order.
     *
     * @param event an event that is now stored
     */
    void observe(Event event);
}
