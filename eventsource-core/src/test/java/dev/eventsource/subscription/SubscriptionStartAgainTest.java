package dev.eventsource.subscription;

import dev.eventsource.Event;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A subscription stopped with its application context (Spring stops and starts cached test contexts, an operator
 * stops and starts one) is started again: it goes on from its checkpoint, each event once.
 */
class SubscriptionStartAgainTest {

    record Happened(String aggregateId, long version, Instant at) implements Event {
    }

    private final JacksonSerializer serializer = JacksonSerializer.json().bind(Happened.class);
    private final MemoryStore store = new MemoryStore();
    private final List<Long> handled = new CopyOnWriteArrayList<>();
    private final Subscription subscription = Subscription.builder("again", store, serializer,
                    (event) -> handled.add(event.position()))
        .checkpoints(new MemoryCheckpointStore())
        .pollInterval(Duration.ofMillis(20))
        .build();

    @Test
    void goesOnFromItsCheckpointAfterAStopAndAStart() throws Exception {
        subscription.start();
        append("a-1", 1);
        awaitPosition(1);
        assertThatThrownBy(subscription::start).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("is running");

        assertThat(subscription.stop(Duration.ofSeconds(10))).isTrue();
        assertThat(subscription.state()).isEqualTo(Subscription.State.STOPPED);
        append("a-1", 2);
        subscription.start();
        append("a-1", 3);
        try {
            awaitPosition(3);
            assertThat(subscription.state()).isEqualTo(Subscription.State.ACTIVE);
            assertThat(handled).containsExactly(1L, 2L, 3L);
        } finally {
            subscription.stop();
        }
    }

    private void append(String id, long version) {
        store.save(id, serializer.marshal(new Happened(id, version, Instant.now())).withAggregateType("Thing"));
    }

    private void awaitPosition(long position) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (subscription.position() < position && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(subscription.position()).isEqualTo(position);
    }
}
