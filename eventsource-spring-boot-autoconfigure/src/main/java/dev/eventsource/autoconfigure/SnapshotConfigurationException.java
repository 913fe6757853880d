package dev.eventsource.autoconfigure;

import dev.eventsource.EventSourceException;

/**
 * Thrown at start-up when snapshots are asked for but cannot be set up as asked: an aggregate type gets snapshots
 * (its {@code @Snapshotting} annotation or {@code eventsource.snapshots.aggregates.*}) and the context has no
 * {@link dev.eventsource.SnapshotStore} or a serializer that cannot write aggregate state, or the
 * {@code eventsource.snapshots.aggregates} settings name no aggregate of the application. Starting without the
 * snapshots would leave every load replaying whole histories, unnoticed until they are long.
 */
public class SnapshotConfigurationException extends EventSourceException {

    private final String action;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     * @param action what to change
     */
    public SnapshotConfigurationException(String message, String action) {
        super(message);
        this.action = action;
    }

    /** @return what to change to fix the configuration */
    public String action() {
        return this.action;
    }
}
