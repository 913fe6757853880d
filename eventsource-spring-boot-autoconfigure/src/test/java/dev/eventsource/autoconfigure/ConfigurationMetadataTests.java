package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;
import dev.eventsource.annotation.Snapshotting;
import dev.eventsource.store.jdbc.JdbcDialect;
import dev.eventsource.store.jdbc.JdbcSchemaScripts;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.Subscription;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration metadata an IDE shows for {@code eventsource.*}, as generated into this module's jar. */
class ConfigurationMetadataTests {

    private static Map<String, JsonNode> eventSourceProperties() throws IOException {
        return eventSource("properties");
    }

    private static Map<String, JsonNode> eventSourceHints() throws IOException {
        return eventSource("hints");
    }

    /** @return the entries of a group ("properties" or "hints") of the generated metadata, by property name */
    private static Map<String, JsonNode> eventSource(String group) throws IOException {
        Map<String, JsonNode> entries = new HashMap<>();
        for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode entry : JsonMapper.builder().build().readTree(in).path(group)) {
                    String name = entry.path("name").asString();
                    if (name.startsWith("eventsource.")) {
                        entries.put(name, entry);
                    }
                }
            }
        }
        return entries;
    }

    private static List<String> hintValues(Map<String, JsonNode> hints, String name) {
        assertThat(hints).as("hints of %s", name).containsKey(name);
        List<String> values = new ArrayList<>();
        for (JsonNode value : hints.get(name).path("values")) {
            values.add(value.path("value").asString());
            assertThat(value.path("description").asString()).as("description of %s=%s", name, values)
                .isNotBlank();
        }
        return values;
    }

    @Test
    void hintsTheValuesOfClosedChoices() throws IOException {
        Map<String, JsonNode> hints = eventSourceHints();
        List<String> platforms = new ArrayList<>(List.of("mariadb"));
        for (JdbcDialect dialect : JdbcDialect.values()) {
            platforms.add(dialect.platform());
        }
        assertThat(hintValues(hints, "eventsource.jdbc.platform")).containsExactlyInAnyOrderElementsOf(platforms);
        assertThat(hintValues(hints, "eventsource.store.type")).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(EventSourceProperties.StoreType.values()).map((type) -> lower(type.name())).toList());
        assertThat(hintValues(hints, "eventsource.serializer.format")).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(EventSourceProperties.SerializerFormat.values()).map((f) -> lower(f.name())).toList());
        assertThat(hintValues(hints, "eventsource.jdbc.initialize-schema")).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(DatabaseInitializationMode.values()).map((mode) -> lower(mode.name())).toList());
    }

    @Test
    void everyHintedPlatformIsAccepted() throws IOException {
        for (String platform : hintValues(eventSourceHints(), "eventsource.jdbc.platform")) {
            new EventSourceProperties.Jdbc().setPlatform(platform);
        }
    }

    @Test
    void showsTheJdbcDefaultsOfTheCore() throws IOException {
        Map<String, JsonNode> properties = eventSourceProperties();
        assertThat(properties.get("eventsource.jdbc.table-name").path("defaultValue").asString())
            .isEqualTo(JdbcStore.DEFAULT_TABLE_NAME)
            .isEqualTo(new EventSourceProperties.Jdbc().getTableName());
        assertThat(properties.get("eventsource.jdbc.schema-locations").path("defaultValue").get(0).asString())
            .isEqualTo(JdbcSchemaScripts.SCHEMA_LOCATION);
        assertThat(new EventSourceProperties.Jdbc().getSchemaLocations())
            .containsExactly(JdbcSchemaScripts.SCHEMA_LOCATION);
        assertThat(properties.get("eventsource.jdbc.initialize-schema").path("defaultValue").asString())
            .isEqualTo("embedded");
    }

    @Test
    void describesEverySubscriptionDefaultAsTheCoreHasIt() throws IOException {
        assertThat(eventSourceProperties().get("eventsource.subscriptions").path("description").asString())
            .contains("poll-interval (" + Subscription.Builder.DEFAULT_POLL_INTERVAL.toSeconds() + "s)")
            .contains("batch-size (" + Subscription.Builder.DEFAULT_BATCH_SIZE + ")")
            .contains("max-attempts (" + Subscription.Builder.DEFAULT_MAX_ATTEMPTS + ")")
            .contains("backoff (" + Subscription.Builder.DEFAULT_BACKOFF.toMillis() + "ms)")
            .contains("max-backoff (" + Subscription.Builder.DEFAULT_MAX_BACKOFF.toSeconds() + "s)");
        EventSourceProperties.Subscription defaults = new EventSourceProperties.Subscription();
        assertThat(defaults.getStartFrom()).isEqualTo(Subscription.Builder.DEFAULT_START_FROM);
        assertThat(defaults.getPollInterval()).isEqualTo(Subscription.Builder.DEFAULT_POLL_INTERVAL);
        assertThat(defaults.getLeaseTime()).isEqualTo(Subscription.Builder.DEFAULT_LEASE_TIME);
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
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
