package dev.eventsource.autoconfigure;

import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.upcast.Upcaster;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Registers every {@link Upcaster} bean with every {@link JacksonSerializer} bean as it is created, the
 * auto-configured one and one the application defines alike, so that reads made while the context starts are
 * upcast too. Registering an upcaster the application already added to its serializer is harmless. The chains
 * are checked once every event class is bound, by {@link UpcasterVerifier}.
 */
final class UpcasterRegistrar implements BeanPostProcessor {

    private final ObjectProvider<Upcaster> upcasters;

    UpcasterRegistrar(ObjectProvider<Upcaster> upcasters) {
        this.upcasters = upcasters;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof JacksonSerializer serializer) {
            Upcaster[] beans = this.upcasters.orderedStream().toArray(Upcaster[]::new);
            if (beans.length > 0) {
                serializer.addUpcasters(beans);
            }
        }
        return bean;
    }
}
