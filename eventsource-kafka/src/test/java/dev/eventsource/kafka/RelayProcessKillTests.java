package dev.eventsource.kafka;

import dev.eventsource.Record;
import dev.eventsource.kafka.consumer.EventSequence;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.test.ChildJvm;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static dev.eventsource.subscription.Subscription.Builder.DEFAULT_LEASE_TIME;
import static dev.eventsource.subscription.Subscription.Builder.DEFAULT_POLL_INTERVAL;
import static dev.eventsource.subscription.Subscription.Builder.DEFAULT_RENEW_INTERVAL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay through a real process crash: {@code kill -9} of a separate JVM running a {@link KafkaRelay} with the
 * default settings ({@link RelayProcess}) while events are appended and it is sending; a relay in this JVM takes over
 * once the dead process's lease runs out, and every committed event is on the topic, in version order per aggregate.
 * Sent twice is exactly what the dead process sent past its checkpoint, at most the window and one batch, and
 * {@link EventSequence} drops it. On every database (H2 reached through a TCP server in this JVM).
 */
class RelayProcessKillTests {

    /**
     * After this many paced appends, one transaction appends {@link #BURST} events over all the aggregates: more
     * than a batch, so the relay process reads a full batch and sends it without waiting for the acknowledgements
     * before it reads on (it checkpoints what is acknowledged by then). It is killed as soon as the topic shows
     * the first of them, or its checkpoint moves into them; the paced appends go on meanwhile.
     */
    private static final int BURST_AFTER = 1500;
    private static final int BURST = 2500;
    /**
     * Should the burst show neither on the topic nor in the checkpoint by then after its commit, the process is
     * killed all the same (the test still holds, with fewer duplicates). The process polls the store once per
     * {@link Subscription.Builder#DEFAULT_POLL_INTERVAL} (only on PostgreSQL does a notification wake it sooner),
     * and the burst's transaction may leave it waiting a whole interval.
     */
    private static final Duration KILL_ANYWAY = DEFAULT_POLL_INTERVAL.multipliedBy(3);
    /** Events appended after the kill, before the relay in this JVM starts. */
    private static final int AFTER_KILL = 300;
    /** The writer stops here at the latest. */
    private static final int MAX_EVENTS = 20_000;
    /** The writer's pause after each append: about 1,500 events a second at most, so that the writing lasts. */
    private static final Duration PACE = Duration.ofMillis(2);
    private static final int AGGREGATES = 20;
    /** Room for the database round trips and a JVM's start on a loaded test machine. */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    abstract static class Base extends RelayTestBase {

        @Test
        @DisplayName("kill -9 of the process relaying while it sends: a relay in another process takes over once the"
                + " lease runs out, every committed event arrives in version order per aggregate, at most the window"
                + " and a batch twice, and EventSequence drops exactly the duplicates")
        void aKilledRelayProcessIsTakenOverWithoutLoss() throws Exception {
            TestBroker broker = TestBroker.shared();
            String topic = broker.newTopic("killed");
            String name = KafkaRelay.DEFAULT_NAME;
            ChildJvm child = ChildJvm.start(RelayProcess.class, database.urlForOtherProcesses(), database.table,
                    topic, broker.bootstrapServers());
            closeables.add(child::close);
            long startedAt = System.nanoTime();
            child.await("the relay process holds the lease", WAIT, () -> child.output().contains("active "));
            long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);

            // One writer in this JVM: 1 to 5 events per append to one of the aggregates, paced, and one burst.
            AtomicInteger written = new AtomicInteger();
            AtomicLong burstAfter = new AtomicLong(Long.MAX_VALUE);
            AtomicLong burstCommitted = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                Random random = new Random(42);
                try {
                    while (!stop.get() && written.get() < MAX_EVENTS) {
                        if (written.get() >= BURST_AFTER && burstAfter.get() == Long.MAX_VALUE) {
                            long before = database.store.lastPosition();
                            database.transactions.executeWithoutResult((status) -> {
                                for (int i = 0; i < AGGREGATES; i++) {
                                    append("order-" + i, BURST / AGGREGATES);
                                }
                            });
                            burstCommitted.set(System.nanoTime());
                            burstAfter.set(before);
                            written.addAndGet(BURST);
                            continue;
                        }
                        int count = 1 + random.nextInt(5);
                        append("order-" + random.nextInt(AGGREGATES), count);
                        written.addAndGet(count);
                        LockSupport.parkNanos(PACE.toNanos());
                    }
                } catch (Throwable e) {
                    writeFailure.set(e);
                }
            }, "writer");
            writer.start();
            long writeStart = System.nanoTime();
            // A consumer in this JVM watches the topic: the kill comes once the process has begun to send the burst.
            KafkaConsumer<String, byte[]> watcher = consumer(broker, topic);
            AtomicLong sentUpTo = new AtomicLong();
            try {
                child.await("the relay process begins to send the burst while the appends go on", WAIT, () -> {
                    watcher.poll(Duration.ofMillis(1)).forEach((message) -> sentUpTo.accumulateAndGet(
                            EventMessages.parse(message).position(), Math::max));
                    if (writeFailure.get() != null || !writer.isAlive()) {
                        return true;
                    }
                    long burst = burstAfter.get();
                    return burst != Long.MAX_VALUE && (sentUpTo.get() > burst
                            || database.checkpoints.position(name).orElse(0) > burst
                            || System.nanoTime() - burstCommitted.get() > KILL_ANYWAY.toNanos());
                });
                assertThat(writeFailure.get()).isNull();
                assertThat(writer.isAlive()).as("appends still going on at the kill").isTrue();

                child.kill(); // SIGKILL: no shutdown hook, no lease release, no producer flush
                long killedAt = System.nanoTime();
                int writtenAtKill = written.get();
                long lastAtKill = database.store.lastPosition();
                long checkpoint = database.checkpoints.position(name).orElseThrow();
                System.out.printf("%s: relay process active after %d ms; killed after %d events appended in %d ms,"
                                + " %d ms after the burst after position %d committed; its checkpoint at position %d"
                                + " of %d, seen on the topic up to %d%n", kind(), startMillis, writtenAtKill,
                        TimeUnit.NANOSECONDS.toMillis(killedAt - writeStart),
                        TimeUnit.NANOSECONDS.toMillis(killedAt - burstCommitted.get()), burstAfter.get(), checkpoint,
                        lastAtKill, sentUpTo.get());

                long deadline = System.nanoTime() + WAIT.toNanos();
                while (written.get() < writtenAtKill + AFTER_KILL && writer.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                stop.set(true);
                writer.join(WAIT.toMillis());
                assertThat(writer.isAlive()).isFalse();
                assertThat(writeFailure.get()).isNull();
                assertThat(database.checkpoints.position(name).orElseThrow()).as("the dead process's checkpoint")
                    .isEqualTo(checkpoint)
                    .isLessThan(database.store.lastPosition());
                // What the dead process left on the topic: each partition up to here.
                Map<TopicPartition, Long> leftByTheDead = watcher.endOffsets(watcher.assignment());

                // A new instance with the same name: it takes over once the dead process's lease has run out.
                KafkaRelay relay = KafkaRelay.builder(database.store, broker.producers(), KafkaTopic.of(topic))
                    .subscription((subscription) -> subscription.checkpoints(database.checkpoints))
                    .build();
                relays.add(relay);
                assertThat(relay.name()).isEqualTo(name);
                relay.start();
                awaitState(relay.subscription(), Subscription.State.ACTIVE);
                Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
                for (int i = 0; i < 5; i++) {
                    append("order-" + i, 2);
                    append("order-after-" + i, 1);
                }
                relay.wake();
                long last = database.store.lastPosition();
                awaitPosition(relay, last);
                Duration caughtUp = Duration.ofNanos(System.nanoTime() - killedAt);

                // Everything on the topic, in the order of each partition.
                KafkaConsumer<String, byte[]> consumer = consumer(broker, topic);
                long onTopic = consumer.endOffsets(consumer.assignment()).values().stream()
                    .mapToLong(Long::longValue).sum();
                List<ConsumerRecord<String, byte[]>> received = TestBroker.pollUntil(consumer, new ArrayList<>(),
                        (messages) -> messages.size() >= onTopic, WAIT);
                assertThat(received).hasSize((int) onTopic);
                assertOnePartitionPerKey(received);

                // The store's contents: every committed event, with its position.
                Map<String, Long> positions = new HashMap<>();
                long after = 0;
                for (List<Record> page = database.store.readAll(0, 1000); !page.isEmpty();
                        page = database.store.readAll(after, 1000)) {
                    for (Record record : page) {
                        positions.put(key(record), record.position());
                    }
                    after = page.get(page.size() - 1).position();
                }
                assertThat(positions).hasSize(committedCount());
                Set<String> keys = new HashSet<>();
                for (ConsumerRecord<String, byte[]> message : received) {
                    keys.add(key(EventMessages.parse(message)));
                }
                assertThat(keys).as("every committed (aggregate, version) on the topic, nothing else")
                    .isEqualTo(positions.keySet());
                assertThat(distinct(received)).as("versions per aggregate in order").isEqualTo(expected());

                // Who sent what: the dead process up to the offsets it left, the relay that took over after them.
                List<Long> sentByTheDead = new ArrayList<>();
                List<Long> sentByTheNew = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> message : received) {
                    long offsetLeft = leftByTheDead.get(new TopicPartition(message.topic(), message.partition()));
                    (message.offset() < offsetLeft ? sentByTheDead : sentByTheNew)
                        .add(EventMessages.parse(message).position());
                }
                assertThat(sentByTheDead).as("sent by the dead process").doesNotHaveDuplicates()
                    .allSatisfy((position) -> assertThat(position).isLessThanOrEqualTo(lastAtKill));
                assertThat(sentByTheNew).as("sent by the relay that took over: everything after the checkpoint, once")
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(positions.values().stream()
                        .filter((position) -> position > checkpoint).toList());
                long sentPastTheCheckpoint = sentByTheDead.stream().filter((position) -> position > checkpoint)
                    .count();

                int duplicates = received.size() - positions.size();
                assertThat(duplicates).as("sent twice: exactly what the dead process sent past its checkpoint")
                    .isEqualTo(sentPastTheCheckpoint)
                    .isLessThanOrEqualTo(KafkaRelay.DEFAULT_WINDOW + KafkaRelay.DEFAULT_BATCH_SIZE);

                Consumed consumed = consumeThroughEventSequence(received);
                assertThat(consumed.dropped()).as("dropped by EventSequence").isEqualTo(duplicates);
                assertThat(consumed.applied()).isEqualTo(expected());

                System.out.printf("%s: %d events committed, %d messages on the topic, %d duplicates (bound %d, the"
                                + " window and a batch); takeover %d ms after kill -9 (lease %d ms, renewed every %d"
                                + " ms, poll %d ms), caught up %d ms after it%n", kind(), positions.size(),
                        received.size(), duplicates, KafkaRelay.DEFAULT_WINDOW + KafkaRelay.DEFAULT_BATCH_SIZE,
                        takeover.toMillis(), DEFAULT_LEASE_TIME.toMillis(), DEFAULT_RENEW_INTERVAL.toMillis(),
                        DEFAULT_POLL_INTERVAL.toMillis(), caughtUp.toMillis());
                assertThat(takeover).as("the killed process never released the lease: it ran out")
                    .isGreaterThanOrEqualTo(DEFAULT_LEASE_TIME.minus(DEFAULT_RENEW_INTERVAL).minus(MARGIN));
                assertThat(takeover).as("takeover after kill -9")
                    .isLessThanOrEqualTo(DEFAULT_LEASE_TIME.plus(DEFAULT_POLL_INTERVAL).plus(MARGIN));
            } finally {
                stop.set(true);
                writer.join(WAIT.toMillis());
                child.close();
            }
        }

        private static String key(Record record) {
            return record.aggregateId() + "@" + record.version();
        }
    }

    @Nested
    class OnH2 extends Base {
        @Override
        TestDatabase.Kind kind() {
            return TestDatabase.Kind.H2;
        }
    }

    @Nested
    class OnPostgres extends Base {
        @Override
        TestDatabase.Kind kind() {
            return TestDatabase.Kind.POSTGRESQL;
        }
    }

    @Nested
    class OnMariaDb extends Base {
        @Override
        TestDatabase.Kind kind() {
            return TestDatabase.Kind.MARIADB;
        }
    }
}
