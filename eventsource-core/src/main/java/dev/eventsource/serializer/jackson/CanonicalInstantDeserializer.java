package dev.eventsource.serializer.jackson;

import dev.eventsource.Event;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.module.SimpleModule;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Reads an {@link Instant} in the canonical UTC form with {@link CanonicalInstants} and hands every other token
 * (another textual form, a number, null) to Jackson's own {@link InstantDeserializer#INSTANT}, which it wraps; and
 * reads an event's time ({@code at}) written as the nanoseconds below the record's microsecond ({@code "+789ns"},
 * see {@link Envelope}) whichever deserializer reads other instants.
 *
 * <p>The canonical fast path is taken only over that default deserializer, so whatever the caller configured wins:
 * a deserializer of their own for {@code Instant} (from a module) reads every value but such a remainder, and a
 * {@code @JsonFormat} or a config override for {@code Instant} makes Jackson contextualise the default into another
 * deserializer, which is then used as is.
 */
final class CanonicalInstantDeserializer extends DelegatingDeserializer {

    /** Whether this reads an event's own time, {@code at}, which may be a remainder ({@link Envelope#remainder}). */
    private final boolean eventTime;
    /** Whether the canonical form is read here; false when a {@code @JsonFormat} made Jackson choose another. */
    private final boolean canonical;

    private CanonicalInstantDeserializer(ValueDeserializer<?> delegatee) {
        this(delegatee, false, true);
    }

    private CanonicalInstantDeserializer(ValueDeserializer<?> delegatee, boolean eventTime, boolean canonical) {
        super(delegatee);
        this.eventTime = eventTime;
        this.canonical = canonical;
    }

    /**
     * Returns a copy of the mapper that reads canonical instants with this deserializer; the mapper passed in is
     * not changed.
     *
     * @param mapper the caller's mapper
     * @return the copy
     */
    static ObjectMapper install(ObjectMapper mapper) {
        return mapper.rebuild()
                .addModule(new SimpleModule("eventsource-canonical-instants").setDeserializerModifier(new Modifier()))
                .build();
    }

    @Override
    protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> newDelegatee) {
        return new CanonicalInstantDeserializer(newDelegatee, eventTime, canonical);
    }

    @Override
    public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
        ValueDeserializer<?> contextual = _delegatee.createContextual(ctxt, property);
        boolean isEventTime = property != null && "at".equals(property.getName()) && property.getMember() != null
                && Event.class.isAssignableFrom(property.getMember().getDeclaringClass());
        // Another deserializer means a @JsonFormat or config override applies: the fast path would ignore it.
        if (contextual != _delegatee) {
            return isEventTime ? new CanonicalInstantDeserializer(contextual, true, false) : contextual;
        }
        return isEventTime == eventTime ? this : new CanonicalInstantDeserializer(_delegatee, isEventTime, canonical);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
        if (p.hasToken(JsonToken.VALUE_STRING)) {
            if (eventTime && p.getStringLength() > 0 && p.getStringCharacters()[p.getStringOffset()] == '+'
                    && ctxt.findInjectableValue("at", null, null, Boolean.TRUE, null) instanceof Instant recordTime) {
                Instant exact = Envelope.remainder(p.getString(), recordTime);
                if (exact != null) {
                    return exact;
                }
            }
            Instant instant = canonical ? CanonicalInstants.parse(p.getStringCharacters(), p.getStringOffset(),
                    p.getStringLength()) : null;
            if (instant != null) {
                return ctxt.isEnabled(DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ)
                        ? instant.truncatedTo(ChronoUnit.MILLIS) : instant;
            }
        }
        return _delegatee.deserialize(p, ctxt);
    }

    /** Wraps every {@code Instant} deserializer: the default for the fast path, any for events' remainders. */
    private static final class Modifier extends ValueDeserializerModifier {

        private static final long serialVersionUID = 1L;

        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                                                       BeanDescription.Supplier beanDescRef,
                                                       ValueDeserializer<?> deserializer) {
            if (deserializer == InstantDeserializer.INSTANT) {
                return new CanonicalInstantDeserializer(deserializer);
            }
            // Another Instant deserializer (a module's) keeps reading everything, but for an event's time written
            // as a remainder, which only this library writes.
            return deserializer.handledType() == Instant.class
                    ? new CanonicalInstantDeserializer(deserializer, false, false) : deserializer;
        }
    }
}
