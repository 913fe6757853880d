package dev.eventsource.autoconfigure;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration's package is {@link NullMarked} like eventsource-core's, and the properties that may be
 * unset say so with {@link Nullable}.
 */
class NullnessContractTests {

    @Test
    void thePackageIsNullMarked() throws ClassNotFoundException {
        assertThat(Class.forName(EventSourceAutoConfiguration.class.getPackageName() + ".package-info")
                .isAnnotationPresent(NullMarked.class)).isTrue();
    }

    @Test
    void unsetPropertiesAreNullable() throws NoSuchMethodException {
        assertThat(EventSourceProperties.Jdbc.class.getMethod("getPlatform").getAnnotatedReturnType()
                .isAnnotationPresent(Nullable.class)).as("eventsource.jdbc.platform unset: detect").isTrue();
        for (String getter : new String[] { "getEnabled", "getEvery", "getSlowerThan", "getRevision" }) {
            assertThat(EventSourceProperties.AggregateSnapshots.class.getMethod(getter).getAnnotatedReturnType()
                    .isAnnotationPresent(Nullable.class)).as("eventsource.snapshots.aggregates.* unset: annotation")
                .isTrue();
        }
    }
}
