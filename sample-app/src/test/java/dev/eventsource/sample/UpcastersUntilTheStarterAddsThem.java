package dev.eventsource.sample;

import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.upcast.Upcaster;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Adds the application's {@link Upcaster} beans to the auto-configured serializer in the tests, until the starter
 * does so itself (issue 14: the starter picks up upcaster beans). Found by the application's component scan of the
 * test classes; adding the same upcaster instances a second time is harmless, so it may stay until then. Delete it
 * once the starter registers upcasters.
 */
@Component
class UpcastersUntilTheStarterAddsThem implements BeanPostProcessor {

    private final ObjectProvider<Upcaster> upcasters;

    UpcastersUntilTheStarterAddsThem(ObjectProvider<Upcaster> upcasters) {
        this.upcasters = upcasters;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof JacksonSerializer serializer) {
            serializer.addUpcasters(this.upcasters.orderedStream().toArray(Upcaster[]::new));
        }
        return bean;
    }
}
