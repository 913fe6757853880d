package dev.eventsource.sample.web;

import dev.eventsource.Event;
import dev.eventsource.EventSourceException;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.sample.session.SessionConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * One stored event as the event browser shows it, with its place in the global stream and in its aggregate's
 * history.
 *
 * @param position its place in the global stream (0 while the store has not numbered it yet)
 * @param at when it happened
 * @param aggregateType the type of the aggregate it belongs to
 * @param aggregateId the aggregate it belongs to
 * @param version the aggregate's version after the event
 * @param type the event's stored type name
 * @param user who made the change (the metadata key {@value SessionConfiguration#USER}), or null when the event
 *     names nobody
 * @param payload the event's own fields (those beyond aggregate id, version and time) as the application reads
 *     them today (upcast from older revisions), or null when the application cannot read the event
 * @param payloadError why the payload cannot be read (an unknown type, bytes that do not parse), or null
 */
public record StoredEventView(long position, Instant at, String aggregateType, String aggregateId,
        long version, String type, String user, JsonNode payload,
        String payloadError) {

    static List<StoredEventView> of(List<Record> records, Serializer serializer, JsonMapper mapper) {
        return records.stream().map((record) -> of(record, serializer, mapper)).toList();
    }

    static StoredEventView of(Record record, Serializer serializer, JsonMapper mapper) {
        ObjectNode payload = null;
        String error = null;
        try {
            // Only the classes bound to the serializer are ever instantiated; the stored type name picks among them.
            Event event = serializer.unmarshal(record);
            payload = mapper.valueToTree(event);
            payload.remove(List.of("aggregateId", "version", "at"));
        }
        catch (EventSourceException ex) {
            error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        return new StoredEventView(record.position(), record.at(), record.aggregateType(), record.aggregateId(),
                record.version(), record.type(), record.metadata().get(SessionConfiguration.USER), payload, error);
    }
}
