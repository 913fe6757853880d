package dev.eventsource.micrometer;

import dev.eventsource.RepositoryMetrics;
import dev.eventsource.RepositoryMetrics.SnapshotOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reports what repositories do to a Micrometer {@link MeterRegistry}: the meters named in
 * {@link EventSourceMeters}, each tagged with the aggregate's simple class name. One instance serves any number of
 * repositories; meters are looked up once per aggregate type and outcome, not per call.
 */
public final class MicrometerRepositoryMetrics implements RepositoryMetrics {

    private final MeterRegistry registry;
    private final ClassValue<Meters> meters = new ClassValue<>() {
        @Override
        protected Meters computeValue(Class<?> aggregateType) {
            return new Meters(registry, Tags.of(EventSourceMeters.AGGREGATE_TAG, aggregateType.getSimpleName()));
        }
    };

    /**
     * Creates metrics that register their meters in a registry.
     *
     * @param registry the registry
     */
    public MicrometerRepositoryMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void loaded(Class<?> aggregateType, int events, long nanos) {
        Meters m = meters.get(aggregateType);
        m.load.record(nanos, TimeUnit.NANOSECONDS);
        m.replayed.record(events);
    }

    @Override
    public void saved(Class<?> aggregateType, int events, long nanos) {
        Meters m = meters.get(aggregateType);
        m.save.record(nanos, TimeUnit.NANOSECONDS);
        m.appended.increment(events);
    }

    @Override
    public void applied(Class<?> aggregateType, Outcome outcome, long nanos) {
        Meters m = meters.get(aggregateType);
        m.apply(outcome).record(nanos, TimeUnit.NANOSECONDS);
        if (outcome == Outcome.NO_EVENTS) {
            m.noEvents.increment();
        }
    }

    @Override
    public void conflict(Class<?> aggregateType) {
        meters.get(aggregateType).conflicts.increment();
    }

    @Override
    public void snapshot(Class<?> aggregateType, SnapshotOutcome outcome) {
        meters.get(aggregateType).snapshots(outcome).increment();
    }

    @Override
    public void retried(Class<?> aggregateType) {
        meters.get(aggregateType).retries.increment();
    }

    /** The meters of one aggregate type. */
    private static final class Meters {
        private final MeterRegistry registry;
        private final Tags tags;
        private final Timer load;
        private final Timer save;
        private final Counter appended;
        private final Counter conflicts;
        private final Counter retries;
        private final Counter noEvents;
        private final DistributionSummary replayed;
        private final Map<Outcome, Timer> applyByOutcome = new ConcurrentHashMap<>();
        private final Map<SnapshotOutcome, Counter> snapshotsByOutcome = new ConcurrentHashMap<>();

        Meters(MeterRegistry registry, Tags tags) {
            this.registry = registry;
            this.tags = tags;
            this.load = Timer.builder(EventSourceMeters.LOAD)
                    .description("Time to load an aggregate by replaying its events").tags(tags).register(registry);
            this.save = Timer.builder(EventSourceMeters.SAVE)
                    .description("Time to append a batch of events to the store").tags(tags).register(registry);
            this.appended = Counter.builder(EventSourceMeters.EVENTS_APPENDED)
                    .description("Events appended to the store").tags(tags).register(registry);
            this.conflicts = Counter.builder(EventSourceMeters.CONFLICTS)
                    .description("Concurrency conflicts met when appending").tags(tags).register(registry);
            this.retries = Counter.builder(EventSourceMeters.RETRIES)
                    .description("Commands run again after a concurrency conflict").tags(tags).register(registry);
            this.noEvents = Counter.builder(EventSourceMeters.NO_EVENTS)
                    .description("Commands that produced no events").tags(tags).register(registry);
            this.replayed = DistributionSummary.builder(EventSourceMeters.EVENTS_REPLAYED)
                    .description("Events replayed per aggregate load").baseUnit("events").tags(tags).register(registry);
        }

        Counter snapshots(SnapshotOutcome outcome) {
            return snapshotsByOutcome.computeIfAbsent(outcome, o -> Counter.builder(EventSourceMeters.SNAPSHOTS)
                    .description("Snapshot outcomes: loads that started from one (hit), found none (miss) or could not"
                            + " use one (stale), snapshots taken, failed or skipped")
                    .tags(tags).tag(EventSourceMeters.OUTCOME_TAG, o.tagValue()).register(registry));
        }

        Timer apply(Outcome outcome) {
            return applyByOutcome.computeIfAbsent(outcome, o -> Timer.builder(EventSourceMeters.APPLY)
                    .description("Time to apply a command, retries included, by outcome")
                    .tags(tags).tag(EventSourceMeters.OUTCOME_TAG, o.tagValue()).register(registry));
        }
    }
}
