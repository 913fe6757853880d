package dev.eventsource;

import java.util.Map;

/**
 * An event as read back from a store, with what the store kept beside it.
 *
 * @param event the deserialized event
 * @param metadata the metadata stored with it (for example who made the change)
 * @param position its place in the global stream
 */
public record StoredEvent(Event event, Map<String, String> metadata, long position) {

    /** Copies the metadata. */
    public StoredEvent {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
