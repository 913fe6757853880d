package dev.eventsource.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Reports a {@link KafkaRelay} to Micrometer, tagged {@code relay=<name>}: {@value #SENT} and {@value #ACKNOWLEDGED}
 * (counters), {@value #LAG} (a timer from the event's time to the broker's acknowledgement, with percentiles),
 * {@value #IN_FLIGHT} (a gauge). The lag in positions is the relay's subscription's
 * {@code eventsource.subscription.lag}.
 */
public final class MicrometerKafkaRelayMetrics implements KafkaRelayMetrics {

    /** Records handed to the producer. */
    public static final String SENT = "eventsource.kafka.relay.sent";
    /** Records the broker acknowledged. */
    public static final String ACKNOWLEDGED = "eventsource.kafka.relay.acknowledged";
    /** Time from an event's append to the broker's acknowledgement of its message. */
    public static final String LAG = "eventsource.kafka.relay.lag";
    /** Records sent and not yet acknowledged. */
    public static final String IN_FLIGHT = "eventsource.kafka.relay.in.flight";
    /** The tag naming the relay. */
    public static final String RELAY_TAG = "relay";

    private final MeterRegistry registry;
    private final Map<String, Meters> meters = new ConcurrentHashMap<>();

    /**
     * Creates metrics that register their meters in a registry.
     *
     * @param registry the registry
     */
    public MicrometerKafkaRelayMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void sent(String relay, int records) {
        meters(relay).sent.increment(records);
    }

    @Override
    public void acknowledged(String relay, long millisSinceEvent) {
        Meters m = meters(relay);
        m.acknowledged.increment();
        m.lag.record(Math.max(0, millisSinceEvent), TimeUnit.MILLISECONDS);
    }

    @Override
    public void inFlight(String relay, LongSupplier inFlight) {
        Gauge.builder(IN_FLIGHT, inFlight, LongSupplier::getAsLong).tags(Tags.of(RELAY_TAG, relay))
            .description("Records the Kafka relay sent and the broker did not acknowledge yet").register(registry);
    }

    private Meters meters(String relay) {
        return meters.computeIfAbsent(relay, (name) -> new Meters(registry, name));
    }

    /** The meters of one relay. */
    private static final class Meters {

        private final Counter sent;
        private final Counter acknowledged;
        private final Timer lag;

        Meters(MeterRegistry registry, String relay) {
            Tags tags = Tags.of(RELAY_TAG, relay);
            sent = Counter.builder(SENT).tags(tags).description("Records the Kafka relay handed to the producer")
                .register(registry);
            acknowledged = Counter.builder(ACKNOWLEDGED).tags(tags)
                .description("Records the broker acknowledged to the Kafka relay").register(registry);
            lag = Timer.builder(LAG).tags(tags).publishPercentiles(0.5, 0.99)
                .description("Time from an event's append to the broker's acknowledgement of its message")
                .register(registry);
        }
    }
}
