package dev.eventsource.serializer.jackson;

import dev.eventsource.DuplicateEventTypeException;
import dev.eventsource.Event;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import dev.eventsource.SerializationException.Direction;
import dev.eventsource.Serializer;
import dev.eventsource.UnknownEventTypeException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON path of {@link JacksonSerializer} as it was before revisions and upcasters (main at 7e9a6a4), kept
 * for the benchmarks only: the baseline of "a load where no event needs upcasting costs at most 1.02x today's".
 * Its {@code unmarshal} is that commit's, byte for byte in what it does; it ignores the record's revision, and it
 * cannot read today's slim payloads (no aggregate id, version or time inside), only those written with them. It lives
 * in the serializer's package because it uses the same package-private canonical-instant reader. Never use it to
 * write: its records all say revision 1.
 */
public final class PreUpcastingJacksonSerializer implements Serializer {

    private final ObjectMapper mapper;
    private final ObjectMapper readingMapper;
    private final Map<String, Binding> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, Binding> byClass = new ConcurrentHashMap<>();

    private PreUpcastingJacksonSerializer(ObjectMapper mapper) {
        this.mapper = mapper;
        this.readingMapper = CanonicalInstantDeserializer.install(mapper);
    }

    /** @return a JSON serializer on a default {@link JsonMapper}, as {@link JacksonSerializer#json()} */
    public static PreUpcastingJacksonSerializer json() {
        return new PreUpcastingJacksonSerializer(JsonMapper.builder().build());
    }

    @Override
    public synchronized PreUpcastingJacksonSerializer bind(Class<?>... eventTypes) {
        Map<String, Class<?>> batch = new LinkedHashMap<>();
        for (Class<?> type : eventTypes) {
            if (!Event.class.isAssignableFrom(type) || type.isInterface()
                    || Modifier.isAbstract(type.getModifiers())) {
                throw new IllegalArgumentException("Cannot bind " + type.getName());
            }
            if (byClass.containsKey(type)) {
                continue;
            }
            String name = Event.typeName(type);
            Binding existing = byName.get(name);
            if (existing != null) {
                throw new DuplicateEventTypeException(name, existing.type, type);
            }
            Class<?> earlier = batch.putIfAbsent(name, type);
            if (earlier != null && earlier != type) {
                throw new DuplicateEventTypeException(name, earlier, type);
            }
        }
        batch.forEach((name, type) -> {
            Binding binding = new Binding(name, type,
                    readingMapper.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES),
                    mapper.writerFor(type));
            byName.put(name, binding);
            byClass.put(type, binding);
        });
        return this;
    }

    @Override
    public Record marshal(Event event) {
        Binding binding = byClass.get(event.getClass());
        if (binding == null) {
            throw new UnknownEventTypeException(Event.typeName(event.getClass()), event.aggregateId());
        }
        return Record.of(event.aggregateId(), event.version(), binding.name, event.at(),
                binding.writer.writeValueAsBytes(event));
    }

    @Override
    public Event unmarshal(Record record) {
        if (record == null) {
            throw new IllegalArgumentException("Cannot unmarshal a null record");
        }
        Binding binding = byName.get(record.type());
        if (binding == null) {
            throw new UnknownEventTypeException(record.type(), record.aggregateId());
        }
        try {
            Object value = binding.reader.readValue(record.data());
            if (value == null) {
                throw new SerializationException("Cannot deserialize event " + record.type() + " version "
                        + record.version() + " of aggregate '" + record.aggregateId()
                        + "': the payload is empty or null", Direction.DESERIALIZE, record.type(), binding.type,
                        record.aggregateId(), record.version(), null, null);
            }
            Event event = (Event) value;
            if (!record.aggregateId().equals(event.aggregateId()) || record.version() != event.version()) {
                throw new SerializationException("Cannot deserialize event " + record.type() + " version "
                        + record.version() + " of aggregate '" + record.aggregateId() + "': its payload says aggregate "
                        + (event.aggregateId() == null ? "null" : "'" + event.aggregateId() + "'") + " version "
                        + event.version() + "; the stored data is corrupt or was copied from another aggregate",
                        Direction.DESERIALIZE, record.type(), binding.type, record.aggregateId(),
                        record.version(), null, null);
            }
            return event;
        } catch (JacksonException e) {
            throw new SerializationException("Cannot deserialize event " + record.type() + " version "
                    + record.version() + " of aggregate '" + record.aggregateId() + "' into "
                    + binding.type.getName() + ": " + e.getOriginalMessage(), Direction.DESERIALIZE,
                    record.type(), binding.type, record.aggregateId(), record.version(), fieldPath(e), e);
        }
    }

    @Override
    public PayloadFormat format() {
        return PayloadFormat.JSON;
    }

    private static @Nullable String fieldPath(JacksonException e) {
        List<JacksonException.Reference> references = e.getPath();
        if (references.isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder("$");
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append('.').append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private record Binding(String name, Class<?> type, ObjectReader reader, ObjectWriter writer) {
    }
}
