package dev.eventsource.autoconfigure.ops;

import dev.eventsource.Store;
import dev.eventsource.autoconfigure.EventSourceAutoConfiguration;
import dev.eventsource.autoconfigure.actuate.EventSourceEndpoint;
import dev.eventsource.autoconfigure.actuate.EventSourceEndpointAutoConfiguration;
import dev.eventsource.subscription.FailurePolicy;
import dev.eventsource.subscription.Subscription;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the {@code eventsource} endpoint exists: with spring-boot-actuator on the classpath, exposed and not turned
 * off; it shows the projections' subscriptions and the application's own {@link Subscription} beans, and the
 * failure policy of each comes from {@code eventsource.subscriptions.<name>.failure-policy}.
 */
class EventSourceEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class,
                EventSourceEndpointAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.ops");

    @Test
    void createsTheEndpointWhenExposed() {
        this.contextRunner.withUserConfiguration(TicketTitles.class)
            .withPropertyValues("management.endpoints.web.exposure.include=health,eventsource")
            .run((context) -> {
                assertThat(context).hasSingleBean(EventSourceEndpoint.class);
                Map<String, Object> body = context.getBean(EventSourceEndpoint.class).eventsource();
                @SuppressWarnings("unchecked")
                Map<String, Object> store = (Map<String, Object>) body.get("store");
                assertThat(store).containsEntry("kind", "memory").containsEntry("table", null)
                    .containsEntry("head", 0L);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> subscriptions = (List<Map<String, Object>>) body.get("subscriptions");
                assertThat(subscriptions).extracting((subscription) -> subscription.get("name"))
                    .containsExactly("titles");
                assertThat(subscriptions.get(0)).containsEntry("failurePolicy", "halt")
                    .containsEntry("state", "RUNNING");
            });
    }

    @Test
    void doesNotCreateTheEndpointUnlessExposed() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(EventSourceEndpoint.class));
    }

    @Test
    void doesNotCreateTheEndpointWhenItsAccessIsNone() {
        this.contextRunner
            .withPropertyValues("management.endpoints.web.exposure.include=eventsource",
                    // Upper case: the runner has no Boot conversion service (an application may write "none").
                    "management.endpoint.eventsource.access=NONE")
            .run((context) -> assertThat(context).doesNotHaveBean(EventSourceEndpoint.class));
    }

    @Test
    void doesNotCreateTheEndpointWithoutActuator() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
            .withPropertyValues("management.endpoints.web.exposure.include=eventsource")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(EventSourceEndpoint.class);
            });
    }

    @Test
    void backsOffWhenTheApplicationDefinesTheEndpoint() {
        this.contextRunner.withUserConfiguration(OwnEndpoint.class)
            .withPropertyValues("management.endpoints.web.exposure.include=eventsource")
            .run((context) -> assertThat(context).getBean(EventSourceEndpoint.class)
                .isSameAs(context.getBean(OwnEndpoint.class).endpoint));
    }

    @Test
    void showsSubscriptionBeansAndTheConfiguredFailurePolicy() {
        this.contextRunner.withUserConfiguration(TicketTitles.class, OwnSubscription.class)
            .withPropertyValues("management.endpoints.web.exposure.include=eventsource",
                    "eventsource.subscriptions.titles.failure-policy=dead-letter")
            .run((context) -> {
                Map<String, Object> body = context.getBean(EventSourceEndpoint.class).eventsource();
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> subscriptions = (List<Map<String, Object>>) body.get("subscriptions");
                assertThat(subscriptions).extracting((subscription) -> subscription.get("name"))
                    .containsExactly("titles", "audit");
                assertThat(subscriptions).extracting((subscription) -> subscription.get("failurePolicy"))
                    .containsExactly("dead-letter", "halt");
                assertThat(context.getBean(dev.eventsource.autoconfigure.EventSourceProjections.class)
                    .subscription("titles").failurePolicy()).isEqualTo(FailurePolicy.DEAD_LETTER);
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEndpoint {

        final EventSourceEndpoint endpoint = new EventSourceEndpoint(new dev.eventsource.store.memory.MemoryStore(),
                Map::of);

        @Bean
        EventSourceEndpoint ownEventSourceEndpoint() {
            return this.endpoint;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSubscription {

        @Bean
        Subscription auditSubscription(Store store, dev.eventsource.Serializer serializer) {
            return Subscription.builder("audit", store, serializer, (event) -> { }).build();
        }
    }
}
