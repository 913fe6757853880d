package dev.eventsource.kafka.autoconfigure;

import dev.eventsource.kafka.KafkaRelay;
import dev.eventsource.subscription.Subscription;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.time.Duration;

/**
 * DOWN when the {@link KafkaRelay} halted, or the broker has left its events unacknowledged (or its sends failing)
 * for longer than {@code eventsource.kafka.unreachable-threshold}; UP otherwise, also while another instance holds
 * the relay's lease.
 */
public class KafkaRelayHealthIndicator extends AbstractHealthIndicator {

    private final KafkaRelay relay;
    private final Duration threshold;

    /**
     * Creates the indicator.
     *
     * @param relay the relay
     * @param threshold how long the broker may leave events unacknowledged
     */
    public KafkaRelayHealthIndicator(KafkaRelay relay, Duration threshold) {
        super("Kafka relay health check failed");
        this.relay = relay;
        this.threshold = threshold;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Subscription subscription = this.relay.subscription();
        Duration waiting = this.relay.unacknowledgedFor();
        builder.withDetail("relay", this.relay.name())
            .withDetail("topic", this.relay.topic().value())
            .withDetail("state", subscription.state().name())
            .withDetail("position", subscription.position())
            .withDetail("inFlight", this.relay.inFlight())
            .withDetail("unacknowledgedFor", waiting.toString());
        if (this.relay.isHalted()) {
            Throwable failure = subscription.failure();
            builder.down().withDetail("failure", (failure != null) ? String.valueOf(failure.getMessage()) : "");
        }
        else if (waiting.compareTo(this.threshold) > 0) {
            builder.down().withDetail("reason", "the broker has not acknowledged the relay's events for " + waiting
                    + " (threshold " + this.threshold + ")");
        }
        else {
            builder.up();
        }
    }
}
