package dev.eventsource.autoconfigure;

import dev.eventsource.Serializer;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.upcast.Upcaster;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link Serializer}, on the application's Jackson mappers so that its modules and settings apply, and the
 * application's {@link Upcaster} beans: registered with every {@link JacksonSerializer} bean (this one or the
 * application's own) and checked at start-up once every event class is bound.
 */
@Configuration(proxyBeanMethods = false)
class SerializerConfiguration {

    private static final String CBOR_MAPPER = "tools.jackson.dataformat.cbor.CBORMapper";

    @Bean
    @ConditionalOnMissingBean
    Serializer eventSourceSerializer(EventSourceProperties properties, ObjectProvider<JsonMapper> jsonMapper,
            ObjectProvider<ObjectMapper> mappers) {
        return switch (properties.getSerializer().getFormat()) {
            case JSON -> JacksonSerializer.json(jsonMapper.getIfUnique(() -> JsonMapper.builder().build()));
            case CBOR -> cbor(mappers);
        };
    }

    @Bean
    static UpcasterRegistrar eventSourceUpcasterRegistrar(ObjectProvider<Upcaster> upcasters) {
        return new UpcasterRegistrar(upcasters);
    }

    @Bean
    UpcasterVerifier eventSourceUpcasterVerifier(ListableBeanFactory beans, ObjectProvider<Serializer> serializer,
            ObjectProvider<EventSourceProjections> projections) {
        return new UpcasterVerifier(beans, serializer, projections);
    }

    private static Serializer cbor(ObjectProvider<ObjectMapper> mappers) {
        if (!ClassUtils.isPresent(CBOR_MAPPER, SerializerConfiguration.class.getClassLoader())) {
            throw new IllegalStateException("eventsource.serializer.format is 'cbor' but " + CBOR_MAPPER
                    + " is not on the classpath; add tools.jackson.dataformat:jackson-dataformat-cbor, or set "
                    + "eventsource.serializer.format=json");
        }
        Class<?> cborMapperType = ClassUtils.resolveClassName(CBOR_MAPPER, SerializerConfiguration.class.getClassLoader());
        return mappers.orderedStream().filter(cborMapperType::isInstance).findFirst()
                .map(JacksonSerializer::binary).orElseGet(JacksonSerializer::cbor);
    }
}
