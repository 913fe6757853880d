package dev.eventsource.micrometer;

import dev.eventsource.subscription.SubscriptionMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports what subscriptions do to a Micrometer {@link MeterRegistry}: the {@code eventsource.subscription.*}
 * meters named in {@link EventSourceMeters}, tagged with the subscription's name. One instance serves any number
 * of subscriptions.
 */
public final class MicrometerSubscriptionMetrics implements SubscriptionMetrics {

    private final MeterRegistry registry;
    private final Map<String, Meters> meters = new ConcurrentHashMap<>();

    /**
     * Creates metrics that register their meters in a registry.
     *
     * @param registry the registry
     */
    public MicrometerSubscriptionMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void processed(String subscription, int events) {
        meters(subscription).processed.increment(events);
    }

    @Override
    public void failed(String subscription) {
        meters(subscription).failures.increment();
    }

    @Override
    public void lag(String subscription, long positions) {
        meters(subscription).lag.set(positions);
    }

    @Override
    public void halted(String subscription, boolean halted) {
        meters(subscription).halted.set(halted ? 1 : 0);
    }

    @Override
    public void deadLettered(String subscription) {
        meters(subscription).deadLetters.increment();
    }

    private Meters meters(String subscription) {
        return meters.computeIfAbsent(subscription, name -> new Meters(registry, name));
    }

    /** The meters of one subscription. */
    private static final class Meters {
        private final Counter processed;
        private final Counter failures;
        private final Counter deadLetters;
        private final AtomicLong lag = new AtomicLong();
        private final AtomicLong halted = new AtomicLong();

        Meters(MeterRegistry registry, String subscription) {
            Tags tags = Tags.of(EventSourceMeters.SUBSCRIPTION_TAG, subscription);
            processed = Counter.builder(EventSourceMeters.SUBSCRIPTION_EVENTS_PROCESSED).tags(tags)
                    .description("Events a subscription handled and checkpointed").register(registry);
            failures = Counter.builder(EventSourceMeters.SUBSCRIPTION_FAILURES).tags(tags)
                    .description("Failed handler attempts of a subscription").register(registry);
            deadLetters = Counter.builder(EventSourceMeters.SUBSCRIPTION_DEAD_LETTERS).tags(tags)
                    .description("Events a subscription moved to its dead letters").register(registry);
            Gauge.builder(EventSourceMeters.SUBSCRIPTION_LAG, lag, AtomicLong::get).tags(tags)
                    .description("Positions a subscription is behind the head of the global stream")
                    .register(registry);
            Gauge.builder(EventSourceMeters.SUBSCRIPTION_HALTED, halted, AtomicLong::get).tags(tags)
                    .description("1 when a subscription halted on a handler that kept failing").register(registry);
        }
    }
}
