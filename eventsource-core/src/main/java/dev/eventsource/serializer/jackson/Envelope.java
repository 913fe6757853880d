package dev.eventsource.serializer.jackson;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.eventsource.Event;
import dev.eventsource.Record;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.AnnotationIntrospector;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.InjectableValues;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyName;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.AnnotatedParameter;
import tools.jackson.databind.introspect.AnnotationIntrospectorPair;
import tools.jackson.databind.introspect.NopAnnotationIntrospector;

import java.lang.reflect.RecordComponent;
import java.util.Set;

/**
 * The envelope of an event, its aggregate id, version and time, lives in the record's columns, not in its payload:
 * payloads are written without the event's {@code aggregateId}, {@code version} and {@code at} properties, and
 * read with those filled in from the record (by injection into the record's constructor or the event's fields).
 * A payload written with them (before payloads were slim) still reads: its own values are used, and they must match
 * the record's.
 */
final class Envelope extends InjectableValues {

    /** The properties of an {@link Event} that the record's columns hold. */
    static final Set<String> PROPERTIES = Set.of("aggregateId", "version", "at");

    private final Record record;

    Envelope(Record record) {
        this.record = record;
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
        return mapper.rebuild().addMixIn(Event.class, WithoutEnvelope.class).build();
    }

    /** @return the mapper with events' envelope properties injected where a payload lacks them */
    static ObjectMapper reading(ObjectMapper mapper) {
        AnnotationIntrospector own = mapper.serializationConfig().getAnnotationIntrospector();
        return mapper.rebuild().annotationIntrospector(
                own == null ? new Injection() : AnnotationIntrospectorPair.create(new Injection(), own)).build();
    }

    /** Leaves the envelope out of written payloads; reading still accepts it (payloads written before). */
    @JsonIgnoreProperties(value = {"aggregateId", "version", "at"}, allowSetters = true)
    private interface WithoutEnvelope {
    }

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
