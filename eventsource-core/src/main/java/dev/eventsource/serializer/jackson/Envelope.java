package dev.eventsource.serializer.jackson;

import com.fasterxml.jackson.annotation.JacksonInject;
import dev.eventsource.Event;
import dev.eventsource.Record;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.AnnotationIntrospector;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.InjectableValues;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyName;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.AnnotatedParameter;
import tools.jackson.databind.introspect.AnnotationIntrospectorPair;
import tools.jackson.databind.introspect.NopAnnotationIntrospector;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.BeanPropertyWriter;
import tools.jackson.databind.ser.ValueSerializerModifier;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The envelope of an event, its aggregate id, version and time, lives in the record's columns, not in its payload:
 * payloads are written without the event's {@code aggregateId} and {@code version} properties, and without
 * {@code at} unless it is finer than the microseconds a time column keeps, when {@code at} holds only the
 * nanoseconds below the microsecond ({@code "at":"+789ns"}); they are read with those filled in from the record
 * where the payload lacks them (by injection into the record's constructor or the event's fields).
 * A payload written with them (before payloads were slim) still reads: its own values are used, and they must match
 * the record's.
 */
final class Envelope extends InjectableValues {

    /** The properties of an {@link Event} that the record's columns hold. */
    static final Set<String> PROPERTIES = Set.of("aggregateId", "version", "at");

    /** The record whose payload is read; changed between records only by {@link #use}, on one thread. */
    private Record record;

    Envelope(Record record) {
        this.record = record;
    }

    /**
     * Makes this envelope the next record's, when one reader and one parser read several records' payloads in
     * turn (see {@link JacksonSerializer#unmarshalAll}).
     *
     * @param next the record whose payload is read next
     */
    void use(Record next) {
        this.record = next;
    }

    @Override
    public @Nullable Object findInjectableValue(DeserializationContext ctxt, Object valueId,
                                                @Nullable BeanProperty forProperty, @Nullable Object beanInstance,
                                                @Nullable Boolean optional, @Nullable Boolean useInput) {
        return switch (String.valueOf(valueId)) {
            case "aggregateId" -> record.aggregateId();
            case "version" -> record.version();
            case "at" -> record.at();
            default -> null;
        };
    }

    @Override
    public InjectableValues snapshot() {
        return this;
    }

    /** @return the mapper with events' envelope properties left out of what it writes */
    static ObjectMapper writing(ObjectMapper mapper) {
        return mapper.rebuild()
                .addModule(new SimpleModule("eventsource-slim-payloads").setSerializerModifier(new Slim())).build();
    }

    /** @return the mapper with events' envelope properties injected where a payload lacks them */
    static ObjectMapper reading(ObjectMapper mapper) {
        AnnotationIntrospector own = mapper.serializationConfig().getAnnotationIntrospector();
        return mapper.rebuild().annotationIntrospector(
                own == null ? new Injection() : AnnotationIntrospectorPair.create(new Injection(), own)).build();
    }

    /**
     * Leaves an event's aggregate id and version out of its payload, and its time unless the time has a fraction
     * finer than a microsecond, which the stores' time columns cannot hold: so the event read back is the event
     * written, to the nanosecond, on every store.
     */
    private static final class Slim extends ValueSerializerModifier {

        @Override
        public List<BeanPropertyWriter> changeProperties(SerializationConfig config,
                                                         BeanDescription.Supplier description,
                                                         List<BeanPropertyWriter> properties) {
            if (!Event.class.isAssignableFrom(description.getBeanClass())) {
                return properties;
            }
            List<BeanPropertyWriter> kept = new ArrayList<>(properties.size());
            for (BeanPropertyWriter property : properties) {
                switch (property.getName()) {
                    case "aggregateId", "version" -> {
                        // The record's columns hold them.
                    }
                    case "at" -> kept.add(property.getType().getRawClass() == Instant.class
                            ? new FinerThanMicroseconds(property) : property);
                    default -> kept.add(property);
                }
            }
            return kept;
        }
    }

    /**
     * Writes an event's time only when the record's time column would lose part of it, and then only the part it
     * would lose: the nanoseconds below the microsecond, as {@code "+789ns"} ({@link #remainder}).
     */
    private static final class FinerThanMicroseconds extends BeanPropertyWriter {

        FinerThanMicroseconds(BeanPropertyWriter base) {
            super(base);
        }

        @Override
        public void serializeAsProperty(Object bean, JsonGenerator generator, SerializationContext context)
                throws Exception {
            Object value = get(bean);
            if (!(value instanceof Instant at)) {
                super.serializeAsProperty(bean, generator, context);
                return;
            }
            int below = at.getNano() % 1000;
            if (below != 0) {
                generator.writeName(getName());
                generator.writeString(REMAINDER_PREFIX + below + REMAINDER_SUFFIX);
            }
        }
    }

    /**
     * Reads the time of an event whose payload holds only the nanoseconds below the microsecond ({@code "+789ns"},
     * as written since payloads are slim): the record's time, cut to the microsecond its column keeps, plus those.
     *
     * @param text the payload's value, e.g. {@code "+789ns"}
     * @param recordTime the record's time: from a column (whole microseconds) or the event's own (the memory store)
     * @return the event's time, or null when {@code text} is not such a remainder
     */
    static @Nullable Instant remainder(String text, Instant recordTime) {
        int length = text.length();
        if (length < 4 || length > 6 || text.charAt(0) != '+' || !text.endsWith(REMAINDER_SUFFIX)) {
            return null;
        }
        int nanos = 0;
        for (int i = 1; i < length - REMAINDER_SUFFIX.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            nanos = nanos * 10 + (c - '0');
        }
        return recordTime.minusNanos(recordTime.getNano() % 1000).plusNanos(nanos);
    }

    private static final String REMAINDER_PREFIX = "+";
    private static final String REMAINDER_SUFFIX = "ns";

    /** Marks an event's envelope properties (record components or fields) as injectable, input first. */
    private static final class Injection extends NopAnnotationIntrospector {

        @Override
        public JacksonInject.@Nullable Value findInjectableValue(MapperConfig<?> config, AnnotatedMember member) {
            Class<?> owner = member.getDeclaringClass();
            if (!Event.class.isAssignableFrom(owner)) {
                return null;
            }
            String name = name(config, member, owner);
            return name != null && PROPERTIES.contains(name) ? JacksonInject.Value.construct(name, true, true) : null;
        }

        private static @Nullable String name(MapperConfig<?> config, AnnotatedMember member, Class<?> owner) {
            if (member instanceof AnnotatedParameter parameter) {
                RecordComponent[] components = owner.getRecordComponents();
                if (components != null && parameter.getOwner().getParameterCount() == components.length) {
                    return components[parameter.getIndex()].getName();
                }
                // A @JsonCreator of another class: its parameters' @JsonProperty names, or their implicit names.
                AnnotationIntrospector introspector = config.getAnnotationIntrospector();
                PropertyName explicit = introspector == null ? null
                        : introspector.findNameForDeserialization(config, parameter);
                if (explicit != null && explicit.hasSimpleName()) {
                    return explicit.getSimpleName();
                }
                return introspector == null ? null : introspector.findImplicitPropertyName(config, parameter);
            }
            return member instanceof tools.jackson.databind.introspect.AnnotatedField ? member.getName() : null;
        }
    }
}
