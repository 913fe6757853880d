package dev.eventsource.test;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event as an older release of an application stored it: its type name, the revision of its shape and its
 * payload as JSON, optionally its time and metadata. {@link PastEvents} writes it into a store. Immutable; the JSON
 * is checked when the event is created, so a typo fails the line that made it.
 *
 * <pre>{@code
 * PastEvent.of("MoneyDeposited", 1, """
 *         {"amount": 100.50}""")
 *         .at(Instant.parse("2021-03-01T09:30:00Z"))
 *         .metadata(Map.of("user", "ada"));
 * }</pre>
 *
 * <p>The JSON is the event's own fields in that revision; {@code aggregateId}, {@code version} and {@code at} may
 * be left out, {@link PastEvents} fills them in. Decimals are kept exactly as written ({@code 100.50} stays
 * {@code 100.50}).
 */
public final class PastEvent {

    /** Reads JSON exactly: decimals as BigDecimal, a repeated key or trailing text is an error. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private final String type;
    private final int revision;
    private final ObjectNode payload;
    private final @Nullable Instant at;
    private final Map<String, String> metadata;

    private PastEvent(String type, int revision, ObjectNode payload, @Nullable Instant at,
                      Map<String, String> metadata) {
        this.type = type;
        this.revision = revision;
        this.payload = payload;
        this.at = at;
        this.metadata = metadata;
    }

    /**
     * Describes an event stored in a past shape.
     *
     * @param type the type name it was stored under (its {@code @EventType} value or simple class name then; an
     *     alias of today's class, or a name only an upcaster reads, is fine)
     * @param revision the revision of its shape, from 1 (events stored before revisions existed are revision 1)
     * @param json its payload, a JSON object: {@code {"amount": 100.50}}
     * @return the event, without time (see {@link #at(Instant)}) and without metadata
     * @throws IllegalArgumentException when the type is blank, the revision below 1, or the JSON null, malformed or
     *     not an object
     */
    public static PastEvent of(String type, int revision, String json) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("A past event needs the type name it was stored under, got "
                    + (type == null ? "null" : "'" + type + "'") + "; give its @EventType value or simple class name"
                    + " of that time, such as \"MoneyDeposited\"");
        }
        String event = "Past event " + type + " revision " + revision;
        if (revision < 1) {
            throw new IllegalArgumentException(event + ": revisions start at 1 (an event stored before its class "
                    + "declared a revision is revision 1)");
        }
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException(event + " has no JSON; give its payload as a JSON object such as "
                    + "{\"amount\": 100.50}, or {} when it had no fields of its own");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(event + ": the JSON is malformed: " + e.getOriginalMessage()
                    + location(e) + "; give a JSON object such as {\"amount\": 100.50}", e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException(event + ": the JSON is " + kind(tree) + ", not an object; an "
                    + "event's payload is a JSON object such as {\"amount\": 100.50}");
        }
        return new PastEvent(type, revision, object, null, Map.of());
    }

    /**
     * Sets when the event happened; by default the payload's {@code at} when it has one, else the time it is
     * appended.
     *
     * @param at the event's time
     * @return a copy of this event with that time
     * @throws IllegalArgumentException when the time is null
     */
    public PastEvent at(Instant at) {
        if (at == null) {
            throw new IllegalArgumentException(this + ": the time must not be null; leave at(...) out for the time "
                    + "it is appended");
        }
        return new PastEvent(type, revision, payload, at, metadata);
    }

    /**
     * Sets the metadata stored beside the event (who made the change, a correlation id).
     *
     * @param metadata the metadata; keys and values must not be null
     * @return a copy of this event with that metadata
     * @throws IllegalArgumentException when the map, a key or a value is null
     */
    public PastEvent metadata(Map<String, String> metadata) {
        if (metadata == null) {
            throw new IllegalArgumentException(this + ": metadata must not be null; give Map.of() for none");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException(this + ": metadata holds a null " + (key == null ? "key" : "value")
                        + (key == null ? "" : " for '" + key + "'") + "; stores keep strings only");
            }
            copy.put(key, value);
        });
        return new PastEvent(type, revision, payload, at, Map.copyOf(copy));
    }

    /** @return the type name the event is stored under */
    public String type() {
        return type;
    }

    /** @return the revision of the event's shape */
    public int revision() {
        return revision;
    }

    /** @return the payload as given, compact JSON (without the fields {@link PastEvents} fills in) */
    public String json() {
        return JSON.writeValueAsString(payload);
    }

    /** @return the time set with {@link #at(Instant)}, or null when none was set */
    public @Nullable Instant time() {
        return at;
    }

    /** @return the metadata, empty unless set */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** @return a copy of the payload, for the fixture to complete */
    ObjectNode payload() {
        return payload.deepCopy();
    }

    @Override
    public String toString() {
        return "Past event " + type + " revision " + revision + " " + json();
    }

    private static String kind(@Nullable JsonNode tree) {
        if (tree == null || tree.isMissingNode()) {
            return "empty";
        }
        String type = tree.getNodeType().name().toLowerCase();
        return tree.isNull() ? "null" : (type.startsWith("a") ? "an " : "a ") + type;
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
