package dev.eventsource.autoconfigure.actuate;

import dev.eventsource.Store;
import dev.eventsource.autoconfigure.EventSourceAutoConfiguration;
import dev.eventsource.autoconfigure.EventSourceProjections;
import dev.eventsource.subscription.Subscription;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * {@link EventSourceEndpoint}: with spring-boot-actuator on the classpath, when the endpoint is available (its access
 * is not {@code none} and it is exposed, for example by
 * {@code management.endpoints.web.exposure.include=health,eventsource}). It shows the projections' subscriptions and
 * every {@link Subscription} bean the application defines itself.
 */
@AutoConfiguration(after = EventSourceAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(EventSourceEndpoint.class)
public final class EventSourceEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(Store.class)
    EventSourceEndpoint eventSourceEndpoint(Store store, ObjectProvider<EventSourceProjections> projections,
            ObjectProvider<Subscription> subscriptionBeans) {
        return new EventSourceEndpoint(store, () -> {
            Map<String, Subscription> all = new LinkedHashMap<>();
            EventSourceProjections current = projections.getIfUnique();
            if (current != null) {
                all.putAll(current.subscriptions());
            }
            subscriptionBeans.orderedStream().forEach((subscription) -> all.putIfAbsent(subscription.name(),
                    subscription));
            return all;
        });
    }
}
