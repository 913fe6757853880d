package dev.eventsource;

import java.util.Map;

/**
 * An event as read back from a store, with what the store kept beside it.
 *
 * @param event the deserialized event
 * @param metadata the metadata stored with it (for example who made the change)
 * @param position its place in the global stream; 0 for an event of an aggregate's history that the store has not
 *     numbered yet (the JDBC store on PostgreSQL numbers committed events when the global stream is next read)
 */
public record StoredEvent(Event event, Map<String, String> metadata, long position) {

    /** Copies the metadata. */
    public StoredEvent {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
