package dev.eventsource.autoconfigure.upcast;

import dev.eventsource.Event;
import dev.eventsource.annotation.EventType;

import java.time.Instant;

/**
 * An event only a projection reads ({@link NoteTitles}), in revision 2: revision 1 called the title
 * {@code subject}; {@link NoteUpcasters} holds the step.
 */
@EventType(value = "Noted", revision = 2)
public record Noted(String aggregateId, long version, Instant at, String title) implements Event {
}
