package dev.eventsource.serializer.jackson;

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
 * (another textual form, a number, null) to Jackson's own {@link InstantDeserializer#INSTANT}, which it wraps.
 *
 * <p>It only ever wraps that default deserializer, so whatever the caller configured wins: a deserializer of
 * their own for {@code Instant} (from a module) is left alone, and a {@code @JsonFormat} or a config override for
 * {@code Instant} makes Jackson contextualise the default into another deserializer, which is then used as is.
 */
final class CanonicalInstantDeserializer extends DelegatingDeserializer {

    private CanonicalInstantDeserializer(ValueDeserializer<?> delegatee) {
        super(delegatee);
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
        return new CanonicalInstantDeserializer(newDelegatee);
    }

    @Override
    public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
        ValueDeserializer<?> contextual = _delegatee.createContextual(ctxt, property);
        // Another deserializer means a @JsonFormat or config override applies: the fast path would ignore it.
        return contextual == _delegatee ? this : contextual;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
        if (p.hasToken(JsonToken.VALUE_STRING)) {
            Instant instant = CanonicalInstants.parse(p.getStringCharacters(), p.getStringOffset(),
                    p.getStringLength());
            if (instant != null) {
                return ctxt.isEnabled(DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ)
                        ? instant.truncatedTo(ChronoUnit.MILLIS) : instant;
            }
        }
        return _delegatee.deserialize(p, ctxt);
    }

    /** Wraps Jackson's default {@code Instant} deserializer, and nothing else. */
    private static final class Modifier extends ValueDeserializerModifier {

        private static final long serialVersionUID = 1L;

        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                                                       BeanDescription.Supplier beanDescRef,
                                                       ValueDeserializer<?> deserializer) {
            return deserializer == InstantDeserializer.INSTANT
                    ? new CanonicalInstantDeserializer(deserializer) : deserializer;
        }
    }
}
