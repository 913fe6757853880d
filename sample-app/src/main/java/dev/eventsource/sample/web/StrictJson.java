package dev.eventsource.sample.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

import java.util.Map;

/**
 * Reads request bodies strictly: a string field takes only a JSON string, a number field only a JSON number, and a
 * key sent twice is refused instead of the last one winning. Bodies read as a {@code Map} (the Actuator's write
 * operations) are read with the application's mapper. Only the HTTP converter gets this mapper; the
 * application's {@link JsonMapper}, which the eventsource serializer uses for stored events, is left as it is.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

    @Bean
    JacksonJsonHttpMessageConverter strictJsonHttpMessageConverter(JsonMapper mapper) {
        JacksonJsonHttpMessageConverter converter = new JacksonJsonHttpMessageConverter(strict(mapper));
        // The Actuator reads a write operation's body as a Map<String, String> and converts each value to the
        // operation's parameter type itself, so {"operation": "reset", "position": 0} needs a number read as text:
        // Map bodies (none of this API's) get the application's mapper.
        converter.registerMappersForType(Map.class, (mappers) -> mappers.put(MediaType.ALL, mapper));
        return converter;
    }

    /** @return a copy of the mapper that refuses coercions between strings, numbers and booleans, and duplicate keys */
    static JsonMapper strict(JsonMapper mapper) {
        return mapper.rebuild()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, (config) -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, (config) -> config
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();
    }
}
