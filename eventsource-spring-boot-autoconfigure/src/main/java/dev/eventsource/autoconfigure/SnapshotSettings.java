package dev.eventsource.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.SnapshotPolicy;
import dev.eventsource.annotation.Snapshotting;
import dev.eventsource.autoconfigure.EventSourceProperties.AggregateSnapshots;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which aggregate types get snapshots, and with which {@link SnapshotPolicy}: the class's {@link Snapshotting}
 * annotation, overridden value by value by {@code eventsource.snapshots.aggregates.<type name>.*}, all switched off
 * by {@code eventsource.snapshots.enabled=false}.
 *
 * <p>Type names under {@code aggregates} match whatever form Spring Boot's binding leaves them in: {@code Account},
 * {@code account} (an environment variable) and {@code [Account]} name the same type; the letters and digits of a
 * key are compared without case.
 */
final class SnapshotSettings {

    static final String PREFIX = "eventsource.snapshots";

    private final boolean enabled;

    /** The settings by normalized type name, with the key as configured. */
    private final Map<String, Configured> byName = new LinkedHashMap<>();

    SnapshotSettings(EventSourceProperties.Snapshots properties) {
        this(properties.isEnabled(), properties.getAggregates());
    }

    SnapshotSettings(boolean enabled, Map<String, AggregateSnapshots> aggregates) {
        this.enabled = enabled;
        aggregates.forEach((key, settings) -> {
            Configured other = this.byName.putIfAbsent(normalize(key), new Configured(key, settings));
            if (other != null) {
                throw new SnapshotConfigurationException(PREFIX + ".aggregates has both '" + other.key() + "' and '"
                        + key + "', which name the same aggregate type",
                        "Keep the settings of the type under one key, its type name as spelled in the class "
                                + "(@AggregateType, else the simple class name).");
            }
        });
    }

    /**
     * Checks that each configured type name names one of the aggregates, so that a typo does not silently leave a
     * type without the snapshots it was meant to get.
     *
     * @throws SnapshotConfigurationException naming the unknown key and the known type names
     */
    void requireKnown(Collection<Class<? extends Aggregate>> aggregates) {
        Map<String, String> known = new LinkedHashMap<>();
        for (Class<? extends Aggregate> aggregate : aggregates) {
            known.put(normalize(Aggregate.typeName(aggregate)), Aggregate.typeName(aggregate));
        }
        for (Map.Entry<String, Configured> entry : this.byName.entrySet()) {
            if (!known.containsKey(entry.getKey())) {
                throw new SnapshotConfigurationException(PREFIX + ".aggregates." + entry.getValue().key()
                        + " names no aggregate type of this application ("
                        + (known.isEmpty() ? "it has none" : "its aggregates: "
                                + String.join(", ", new TreeSet<>(known.values()))) + ")",
                        "Use the aggregate's type name (@AggregateType, else the simple class name) as the key, or "
                                + "remove the settings; aggregates are looked for in "
                                + AggregateRepositoryRegistrar.BASE_PACKAGES_PROPERTY + ".");
            }
        }
    }

    /**
     * @param aggregate the aggregate class
     * @return its policy, or {@code null} when its repository takes and reads no snapshots
     */
    @Nullable SnapshotPolicy policy(Class<? extends Aggregate> aggregate) {
        if (!this.enabled) {
            return null;
        }
        Configured configured = this.byName.get(normalize(Aggregate.typeName(aggregate)));
        AggregateSnapshots settings = (configured != null) ? configured.settings() : null;
        boolean on;
        if (settings != null && settings.getEnabled() != null) {
            on = settings.getEnabled();
        }
        else {
            on = aggregate.isAnnotationPresent(Snapshotting.class)
                    || (settings != null && settings.hasPolicySettings());
        }
        if (!on) {
            return null;
        }
        SnapshotPolicy declared = SnapshotPolicy.of(aggregate);
        if (settings == null) {
            return declared;
        }
        return new SnapshotPolicy((settings.getEvery() != null) ? settings.getEvery() : declared.every(),
                (settings.getSlowerThan() != null) ? settings.getSlowerThan() : declared.slowerThan(),
                (settings.getRevision() != null) ? settings.getRevision() : declared.revision());
    }

    /**
     * @return why the aggregate gets snapshots, for messages: its annotation or its properties
     */
    String reason(Class<? extends Aggregate> aggregate) {
        Configured configured = this.byName.get(normalize(Aggregate.typeName(aggregate)));
        List<String> reasons = new ArrayList<>();
        if (aggregate.isAnnotationPresent(Snapshotting.class)) {
            reasons.add("@Snapshotting on " + aggregate.getName());
        }
        if (configured != null) {
            reasons.add(PREFIX + ".aggregates." + configured.key() + ".*");
        }
        return String.join(" and ", reasons);
    }

    private static String normalize(String name) {
        StringBuilder normalized = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                normalized.append(c);
            }
        }
        return normalized.toString().toLowerCase(Locale.ROOT);
    }

    private record Configured(String key, AggregateSnapshots settings) {
    }
}
