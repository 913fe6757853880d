package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;
import dev.eventsource.annotation.Snapshotting;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.Subscription;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
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
                "eventsource.scan.base-packages", "eventsource.repository.max-retries",
                "eventsource.repository.retry.first-backoff",
                "eventsource.repository.retry.max-backoff", "eventsource.repository.retry.jitter",
                "eventsource.repository.retry.time-budget", "eventsource.metrics.enabled",
                "eventsource.subscriptions", "eventsource.snapshots.enabled", "eventsource.snapshots.aggregates",
                "eventsource.snapshots.executor.threads", "eventsource.snapshots.executor.queue-capacity");
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
    void describesTheAnnotationDefaultsOfPerAggregateSnapshotSettings() throws IOException {
        Map<String, JsonNode> properties = eventSourceProperties();
        assertThat(properties.get("eventsource.snapshots.aggregates").path("description").asString())
            .contains("every (" + Snapshotting.DEFAULT_EVERY + ")")
            .contains("slower-than (0, never)")
            .contains("revision (1)");
        assertThat(properties.get("eventsource.snapshots.enabled").path("defaultValue").asBoolean(false)).isTrue();
        assertThat(properties.get("eventsource.snapshots.executor.threads").path("defaultValue").asInt(-1))
            .isEqualTo(1);
        assertThat(properties.get("eventsource.snapshots.executor.queue-capacity").path("defaultValue").asInt(-1))
            .isEqualTo(1024);
    }

    @Test
    void showsTheRepositoryDefaultOfMaxRetries() throws IOException {
        assertThat(eventSourceProperties().get("eventsource.repository.max-retries").path("defaultValue").asInt(-1))
            .isEqualTo(Repository.Builder.DEFAULT_MAX_RETRIES);
    }

    @Test
    void showsTheRepositoryDefaultsOfTheRetryBackoff() throws IOException {
        Map<String, JsonNode> properties = eventSourceProperties();
        assertThat(DurationStyle.detectAndParse(
                properties.get("eventsource.repository.retry.first-backoff").path("defaultValue").asString()))
            .isEqualTo(Repository.Builder.DEFAULT_RETRY_FIRST_BACKOFF);
        assertThat(DurationStyle.detectAndParse(
                properties.get("eventsource.repository.retry.max-backoff").path("defaultValue").asString()))
            .isEqualTo(Repository.Builder.DEFAULT_RETRY_MAX_BACKOFF);
        assertThat(properties.get("eventsource.repository.retry.jitter").path("defaultValue").asDouble(-1))
            .isEqualTo(Repository.Builder.DEFAULT_RETRY_JITTER);
        assertThat(properties.get("eventsource.repository.retry.time-budget").has("defaultValue")).isFalse();
    }

    @Test
    void showsTheDefaultLifetimeOfTheListenersConnection() throws IOException {
        assertThat(DurationStyle.detectAndParse(eventSourceProperties().get(
                "eventsource.jdbc.listener-connection-lifetime").path("defaultValue").asString()))
            .isEqualTo(JdbcStore.DEFAULT_LISTENER_CONNECTION_LIFETIME);
    }
}
