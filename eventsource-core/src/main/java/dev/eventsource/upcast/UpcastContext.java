package dev.eventsource.upcast;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * The stored event whose payload an {@link Upcaster} is given, as the store keeps it (read-only).
 *
 * @param aggregateType the type of the event's aggregate, or {@code null} when the record has none
 * @param aggregateId the event's aggregate
 * @param version the event's version
 * @param position the event's place in the global stream, 0 when not numbered
 * @param storedType the type name the event was stored under
 * @param storedRevision the revision it was stored in
 * @param at when the event happened
 * @param metadata the metadata stored with it
 */
public record UpcastContext(@Nullable String aggregateType, String aggregateId, long version, long position,
                            String storedType, int storedRevision, Instant at, Map<String, String> metadata) {
}
