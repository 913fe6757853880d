package dev.eventsource.kafka;

import dev.eventsource.kafka.consumer.EventSequence;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionOperationException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relay through a crash, a broker replaced by a new one, the broker unreachable for a while, a second instance and
 * a topic the pattern makes invalid.
 */
abstract class RelayFailureTestBase extends RelayTestBase {

    private static final Duration IMPATIENT_DELIVERY_TIMEOUT = Duration.ofSeconds(2);
    /** Producer settings that give up on a silent broker within seconds. */
    private static final Map<String, Object> IMPATIENT = Map.of(
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) IMPATIENT_DELIVERY_TIMEOUT.toMillis(),
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000,
            ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);

    @Test
    @DisplayName("the relay killed between its acknowledged sends and their checkpoint: a new one resends from the"
            + " checkpoint, every event arrives, the duplicates are at most the window and a batch, and EventSequence"
            + " drops them")
    void aCrashBeforeTheCheckpointResendsAtMostTheWindowAndABatch() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("crash");
        CrashingCheckpoints crashing = new CrashingCheckpoints(database.checkpoints);
        KafkaRelay first = relay(broker, topic, (builder) -> builder.window(100)
            .subscription((subscription) -> subscription.checkpoints(crashing)));
        first.start();
        for (int i = 0; i < 10; i++) {
            append("order-" + i, 5);
        }
        awaitPosition(first, database.store.lastPosition());
        long checkpoint = database.checkpoints.position(first.name()).orElseThrow();

        crashing.crashAtNextCheckpoint();
        for (int i = 0; i < 10; i++) {
            append("order-" + i, 6);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!crashing.dead() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(crashing.dead()).isTrue();
        assertThat(database.checkpoints.position(first.name()).orElseThrow()).isEqualTo(checkpoint);

        // The dead process left its lease behind: the restarted relay takes over once it runs out.
        KafkaRelay restarted = relay(broker, topic, (builder) -> builder.window(100));
        restarted.start();
        awaitPosition(restarted, database.store.lastPosition());

        KafkaConsumer<String, byte[]> consumer = consumer(broker, topic);
        List<ConsumerRecord<String, byte[]>> received = receiveAllCommitted(consumer, new ArrayList<>());
        TestBroker.pollUntil(consumer, received, (messages) -> false, Duration.ofMillis(500));
        int duplicates = received.size() - committedCount();
        assertThat(duplicates).as("resent after the crash").isPositive()
            .isLessThanOrEqualTo(first.window() + first.subscription().batchSize());

        Consumed consumed = consumeThroughEventSequence(received);
        assertThat(consumed.dropped()).isEqualTo(duplicates);
        assertThat(consumed.applied()).isEqualTo(expected());
    }

    @Test
    @DisplayName("the broker stops and a new one starts (on a new port, without the old one's messages): appends go"
            + " on meanwhile, the relay keeps retrying with a new producer, and afterwards every event is there in"
            + " version order per aggregate")
    void theBrokerDownAndBack() throws Exception {
        TestBroker broker = TestBroker.startPrivate();
        String topic = broker.newTopic("outage");
        KafkaRelay relay = relayWithProducers(topic, broker.producers(IMPATIENT));
        relay.start();
        for (int i = 0; i < 5; i++) {
            append("order-" + i, 4);
        }
        awaitPosition(relay, database.store.lastPosition());
        KafkaConsumer<String, byte[]> before = consumer(broker, topic);
        List<ConsumerRecord<String, byte[]>> received = receiveAllCommitted(before, new ArrayList<>());
        long checkpoint = relay.subscription().position();

        broker.stop();
        long writesStarted = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            append("order-" + i, 4);
            append("order-new-" + i, 3);
        }
        Duration writes = Duration.ofNanos(System.nanoTime() - writesStarted);
        Thread.sleep(3000);
        assertThat(writes).as("appends while the broker is down").isLessThan(Duration.ofSeconds(2));
        assertThat(relay.subscription().state()).isEqualTo(Subscription.State.ACTIVE);
        assertThat(relay.subscription().position()).isEqualTo(checkpoint);
        assertThat(relay.unacknowledgedFor()).isGreaterThan(Duration.ofSeconds(1));

        broker.start();
        broker.createTopic(topic);
        awaitPosition(relay, database.store.lastPosition());
        KafkaConsumer<String, byte[]> after = consumer(broker, topic);
        // What the first broker had was received before it stopped; the rest comes from the new one.
        TestBroker.pollUntil(after, received, (messages) -> distinct(messages).equals(expected()), WAIT);
        assertThat(distinct(received)).isEqualTo(expected());
        assertThat(relay.unacknowledgedFor()).isZero();
        closeables.add(broker::stop);
    }

    @Test
    @DisplayName("the broker unreachable for a while at its address, then reachable again with its messages: appends"
            + " go on meanwhile, the relay stays active and retries with new producers without moving its checkpoint,"
            + " and afterwards every event is there in version order per aggregate, EventSequence dropping duplicates")
    void theBrokerUnreachableAndBack() throws Exception {
        TcpProxy proxy = TcpProxy.start();
        closeables.add(proxy);
        TestBroker broker = TestBroker.startBehind(proxy);
        closeables.add(broker::stop);
        String topic = broker.newTopic("unreachable");
        AtomicInteger producersMade = new AtomicInteger();
        Supplier<Producer<String, byte[]>> producers = broker.producers(IMPATIENT);
        KafkaRelay relay = relayWithProducers(topic, () -> {
            producersMade.incrementAndGet();
            return producers.get();
        });
        relay.start();
        for (int i = 0; i < 5; i++) {
            append("order-" + i, 4);
        }
        awaitPosition(relay, database.store.lastPosition());
        KafkaConsumer<String, byte[]> consumer = consumer(broker, topic);
        List<ConsumerRecord<String, byte[]>> received = receiveAllCommitted(consumer, new ArrayList<>());
        long checkpoint = database.checkpoints.position(relay.name()).orElseThrow();
        int producersBefore = producersMade.get();

        proxy.cut();
        long cutAt = System.nanoTime();
        long slowest = 0;
        // Cut off past the producer's delivery timeout and until the relay has tried two new producers, with
        // appends all along, so that it has records to send with each of them.
        long cutFor = IMPATIENT_DELIVERY_TIMEOUT.plusSeconds(1).toNanos();
        while ((System.nanoTime() - cutAt < cutFor || producersMade.get() < producersBefore + 2)
                && System.nanoTime() - cutAt < WAIT.toNanos()) {
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                append("order-" + i, 1);
                append("order-new-" + i, 1);
                slowest = Math.max(slowest, System.nanoTime() - started);
            }
            Thread.sleep(200);
        }
        Duration cutOff = Duration.ofNanos(System.nanoTime() - cutAt);
        Duration unacknowledged = relay.unacknowledgedFor();
        Thread.sleep(200);
        assertThat(producersMade.get()).as("producers made while cut off").isGreaterThanOrEqualTo(producersBefore + 2);
        assertThat(proxy.unanswered()).as("connections tried while cut off").isPositive();
        assertThat(Duration.ofNanos(slowest)).as("slowest append while cut off").isLessThan(Duration.ofSeconds(1));
        assertThat(relay.subscription().state()).isEqualTo(Subscription.State.ACTIVE);
        assertThat(relay.subscription().position()).isEqualTo(checkpoint);
        assertThat(database.checkpoints.position(relay.name()).orElseThrow()).isEqualTo(checkpoint);
        // Since the relay's first send after the cut: not since its first failure, nor since its latest producer.
        assertThat(unacknowledged).as("waiting for the broker, cut off for %s", cutOff)
            .isGreaterThan(IMPATIENT_DELIVERY_TIMEOUT).isGreaterThan(cutOff.minusMillis(700));
        assertThat(relay.unacknowledgedFor()).as("still waiting").isGreaterThan(unacknowledged);

        proxy.restore();
        for (int i = 0; i < 5; i++) {
            append("order-" + i, 1);
        }
        awaitPosition(relay, database.store.lastPosition());
        receiveAllCommitted(consumer, received);
        TestBroker.pollUntil(consumer, received, (messages) -> false, Duration.ofMillis(500));
        assertThat(relay.unacknowledgedFor()).isZero();
        assertThat(relay.subscription().state()).isEqualTo(Subscription.State.ACTIVE);

        Consumed consumed = consumeThroughEventSequence(received);
        assertThat(consumed.applied()).isEqualTo(expected());
        assertThat(consumed.dropped()).as("duplicates dropped").isEqualTo(received.size() - committedCount());
    }

    @Test
    @DisplayName("two instances: one relays while the other stands by, never both; the standby takes over once the"
            + " active one's lease runs out, and every event arrives")
    void twoInstancesOneRelayAtATime() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("instances");
        CrashingCheckpoints crashing = new CrashingCheckpoints(database.checkpoints);
        KafkaRelay first = relay(broker, topic, (builder) -> builder
            .subscription((subscription) -> subscription.checkpoints(crashing)));
        first.start();
        awaitState(first.subscription(), Subscription.State.ACTIVE);
        KafkaRelay second = relay(broker, topic, (builder) -> {
        });
        second.start();
        AtomicBoolean both = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (first.subscription().state() == Subscription.State.ACTIVE
                        && second.subscription().state() == Subscription.State.ACTIVE) {
                    both.set(true);
                }
                Thread.onSpinWait();
            }
        });
        watcher.start();
        try {
            for (int i = 0; i < 10; i++) {
                append("order-" + i, 3);
            }
            awaitPosition(first, database.store.lastPosition());
            assertThat(second.subscription().state()).isEqualTo(Subscription.State.STANDBY);

            crashing.crashAtNextCheckpoint();
            long crashed = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                append("order-" + i, 3);
            }
            awaitState(second.subscription(), Subscription.State.ACTIVE);
            Duration takeover = Duration.ofNanos(System.nanoTime() - crashed);
            awaitPosition(second, database.store.lastPosition());
            assertThat(takeover).isLessThan(Duration.ofSeconds(10));
        } finally {
            watcher.interrupt();
            watcher.join();
        }
        assertThat(both).as("both instances active at once").isFalse();
        KafkaConsumer<String, byte[]> consumer = consumer(broker, topic);
        List<ConsumerRecord<String, byte[]>> received = receiveAllCommitted(consumer, new ArrayList<>());
        assertThat(distinct(received)).isEqualTo(expected());
    }

    @Test
    @DisplayName("a topic pattern that makes a name Kafka refuses for an aggregate type halts the relay at that event"
            + " with a message naming it, the events before it sent and checkpointed, none after it")
    void anInvalidTopicForAnAggregateTypeHalts() throws Exception {
        TestBroker broker = TestBroker.shared();
        String pattern = "pattern-" + System.nanoTime() + "-{aggregateType}";
        KafkaRelay relay = relay(broker, pattern, (builder) -> {
        });
        String orderTopic = pattern.replace("{aggregateType}", "Order");
        broker.createTopic(orderTopic);
        append("order-1", 2);
        database.store.save("bad-1", records("bad-1", 1, 1).stream()
            .map((record) -> record.withAggregateType("Bad Type")).toList());
        append("order-2", 1);
        relay.start();
        awaitState(relay.subscription(), Subscription.State.HALTED);

        assertThat(relay.subscription().failure()).hasMessageContaining("bad-1")
            .hasStackTraceContaining("Invalid Kafka topic");
        assertThat(relay.subscription().position()).isEqualTo(database.store.load("order-1").get(1).position());
        KafkaConsumer<String, byte[]> consumer = consumer(broker, orderTopic);
        List<ConsumerRecord<String, byte[]>> received = TestBroker.pollUntil(consumer, new ArrayList<>(),
                (messages) -> false, Duration.ofSeconds(1));
        assertThat(all(received)).isEqualTo(Map.of("order-1", List.of(1L, 2L)));

        // The operator's way out: skip is refused (a pipeline has no dead letters); a reset past the event goes on.
        assertThatThrownBy(() -> relay.subscription().skip()).isInstanceOf(SubscriptionOperationException.class)
            .hasMessageContaining("no dead letters");
        relay.subscription().reset(database.store.load("bad-1").get(0).position());
        received = TestBroker.pollUntil(consumer, received, (messages) -> all(messages).containsKey("order-2"),
                Duration.ofSeconds(30));
        assertThat(all(received)).isEqualTo(Map.of("order-1", List.of(1L, 2L), "order-2", List.of(1L)));
        assertThat(relay.subscription().state()).isEqualTo(Subscription.State.ACTIVE);
    }

    private KafkaRelay relayWithProducers(String topic, Supplier<Producer<String, byte[]>> producers) {
        KafkaRelay relay = KafkaRelay.builder(database.store, producers, KafkaTopic.of(topic))
            .window(100)
            .subscription((subscription) -> subscription.checkpoints(database.checkpoints)
                .pollInterval(Duration.ofMillis(20))
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500)))
            .build();
        relays.add(relay);
        return relay;
    }
}
