package dev.eventsource.micrometer;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.subscription.FailurePolicy;
import dev.eventsource.subscription.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The subscription meters a dead-letter subscription reports: each event it passes over counts once. */
class MicrometerSubscriptionMetricsTest {

    record Happened(String aggregateId, long version, Instant at) implements Event {
    }

    @Test
    void countsDeadLettersPerSubscription() {
        MemoryStore store = new MemoryStore();
        Serializer serializer = JacksonSerializer.json().bind(Happened.class);
        List<Record> records = new ArrayList<>();
        for (int version = 1; version <= 4; version++) {
            records.add(serializer.marshal(new Happened("a", version, Instant.now())).withAggregateType("Thing"));
        }
        store.save("a", records);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Subscription subscription = Subscription.builder("odd", store, serializer, (event) -> {
            if (event.event().version() % 2 == 0) {
                throw new IllegalStateException("even");
            }
        }).metrics(new MicrometerSubscriptionMetrics(registry)).failurePolicy(FailurePolicy.DEAD_LETTER)
            .maxAttempts(1).pollInterval(Duration.ofMillis(10)).build();
        subscription.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (subscription.status().checkpoint() < store.lastPosition()) {
                if (System.nanoTime() > deadline) {
                    fail("the subscription did not reach the end of the stream");
                }
                LockSupport.parkNanos(5_000_000);
            }
        } finally {
            subscription.stop();
        }
        assertThat(registry.get(EventSourceMeters.SUBSCRIPTION_DEAD_LETTERS).tag(EventSourceMeters.SUBSCRIPTION_TAG,
                "odd").counter().count()).isEqualTo(2.0);
        assertThat(registry.get(EventSourceMeters.SUBSCRIPTION_HALTED).tag(EventSourceMeters.SUBSCRIPTION_TAG, "odd")
            .gauge().value()).isZero();
        assertThat(subscription.deadLetters().list("odd")).extracting((letter) -> letter.version())
            .containsExactly(2L, 4L);
    }
}
