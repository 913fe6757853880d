package dev.eventsource;

import dev.eventsource.annotation.Snapshotting;

import java.time.Duration;
import java.util.Objects;

/**
 * When a repository takes a {@link Snapshot} of an aggregate, and which snapshot revision it writes and accepts.
 *
 * @param every take one once this many events were replayed or appended since the last one; 0 never
 * @param slowerThan take one when a load took longer than this; {@link Duration#ZERO} never
 * @param revision the snapshot revision ({@link Snapshotting#revision()})
 */
public record SnapshotPolicy(int every, Duration slowerThan, int revision) {

    /**
     * Validates the parts.
     *
     * @throws IllegalArgumentException when a part is negative or the revision below 1
     */
    public SnapshotPolicy {
        Objects.requireNonNull(slowerThan, "slowerThan");
        if (every < 0 || slowerThan.isNegative() || revision < 1) {
            throw new IllegalArgumentException("A snapshot policy needs every >= 0 (0: never), slowerThan >= 0 (0: "
                    + "never) and revision >= 1, got every " + every + ", slowerThan " + slowerThan + ", revision "
                    + revision);
        }
    }

    /**
     * Returns the policy an aggregate class declares with {@link Snapshotting @Snapshotting}, or the defaults
     * (every {@value Snapshotting#DEFAULT_EVERY} events, revision 1) when it declares none.
     *
     * @param aggregateType the aggregate class
     * @return its policy
     */
    public static SnapshotPolicy of(Class<?> aggregateType) {
        Snapshotting declared = aggregateType.getAnnotation(Snapshotting.class);
        if (declared == null) {
            return new SnapshotPolicy(Snapshotting.DEFAULT_EVERY, Duration.ZERO, 1);
        }
        return new SnapshotPolicy(declared.every(), Duration.ofMillis(declared.slowerThanMillis()),
                declared.revision());
    }

    /**
     * @param events how many events were replayed or appended since the last snapshot (or since version 0)
     * @param loadNanos how long the load took
     * @return whether a snapshot is due
     */
    public boolean due(long events, long loadNanos) {
        return (every > 0 && events >= every) || (!slowerThan.isZero() && loadNanos > slowerThan.toNanos());
    }
}
