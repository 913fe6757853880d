package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;
import dev.eventsource.subscription.Subscription;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration metadata an IDE shows for {@code eventsource.*}, as generated into this module's jar. */
class ConfigurationMetadataTests {

    private static Map<String, JsonNode> eventSourceProperties() throws IOException {
        Map<String, JsonNode> properties = new HashMap<>();
        for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : JsonMapper.builder().build().readTree(in).path("properties")) {
                    String name = property.path("name").asString();
                    if (name.startsWith("eventsource.")) {
                        properties.put(name, property);
                    }
                }
            }
        }
        return properties;
    }

    @Test
    void describesEveryProperty() throws IOException {
        Map<String, JsonNode> properties = eventSourceProperties();
        assertThat(properties).containsKeys("eventsource.store.type", "eventsource.jdbc.table-name",
                "eventsource.jdbc.initialize-schema", "eventsource.jdbc.platform", "eventsource.serializer.format",
                "eventsource.scan.base-packages", "eventsource.repository.max-retries", "eventsource.metrics.enabled",
                "eventsource.subscriptions");
        assertThat(properties.values()).allSatisfy((property) -> assertThat(property.path("description").asString())
            .as(property.path("name").asString()).isNotBlank());
    }

    @Test
    void describesTheLeaseDefaultsOfSubscriptions() throws IOException {
        assertThat(eventSourceProperties().get("eventsource.subscriptions").path("description").asString())
            .contains("lease-time (" + Subscription.Builder.DEFAULT_LEASE_TIME.toSeconds() + "s)")
            .contains("renew-interval (" + Subscription.Builder.DEFAULT_RENEW_INTERVAL.toSeconds() + "s)");
    }

    @Test
    void showsTheRepositoryDefaultOfMaxRetries() throws IOException {
        assertThat(eventSourceProperties().get("eventsource.repository.max-retries").path("defaultValue").asInt(-1))
            .isEqualTo(Repository.Builder.DEFAULT_MAX_RETRIES);
    }
}
