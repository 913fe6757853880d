package dev.eventsource.kafka;

import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.kafka.consumer.EventSequence;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.subscription.Subscription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** What the relay tests share: a database, a broker, writers with rollbacks, and a consumer of the topic. */
abstract class RelayTestBase {

    static final Duration WAIT = Duration.ofSeconds(60);

    final Serializer serializer = JacksonSerializer.json().bind(Noted.class);
    TestDatabase database;
    final List<KafkaRelay> relays = new ArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();
    /** The committed version of each aggregate, as the writers saw their commits. */
    final Map<String, Long> committed = new ConcurrentHashMap<>();

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create(kind());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (KafkaRelay relay : relays) {
            relay.stop(Duration.ofSeconds(10));
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        if (database != null) {
            database.close();
        }
    }

    KafkaRelay relay(TestBroker broker, String topic, Consumer<KafkaRelay.Builder> settings) {
        KafkaRelay.Builder builder = KafkaRelay.builder(database.store, broker.producers(), KafkaTopic.of(topic))
            .source("orders-service")
            .window(100)
            .subscription((subscription) -> subscription.checkpoints(database.checkpoints)
                .pollInterval(Duration.ofMillis(20))
                .batchSize(50)
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .leaseTime(Duration.ofSeconds(2))
                .renewInterval(Duration.ofMillis(500)));
        settings.accept(builder);
        KafkaRelay relay = builder.build();
        relays.add(relay);
        return relay;
    }

    /**
     * Appends in transactions from several threads, each transaction 1 to 3 events to one aggregate, a third of
     * them rolled back; only the commits count in {@link #committed}.
     *
     * @return the number of events committed
     */
    int writeWithRollbacks(int threads, int transactionsPerThread) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(writers.submit(() -> {
                    int events = 0;
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < transactionsPerThread; i++) {
                        String aggregate = "order-" + thread + "-" + random.nextInt(8);
                        long from = committed.getOrDefault(aggregate, 0L) + 1;
                        int count = 1 + random.nextInt(3);
                        boolean rollback = random.nextInt(3) == 0;
                        database.transactions.executeWithoutResult((status) -> {
                            database.store.save(aggregate, records(aggregate, from, count));
                            if (rollback) {
                                status.setRollbackOnly();
                            }
                        });
                        if (!rollback) {
                            committed.put(aggregate, from + count - 1);
                            events += count;
                        }
                    }
                    return events;
                }));
            }
            int total = 0;
            for (Future<Integer> future : done) {
                total += future.get(2, TimeUnit.MINUTES);
            }
            return total;
        } finally {
            writers.shutdownNow();
        }
    }

    /** Appends events to one aggregate and counts them as committed. */
    void append(String aggregate, int count) {
        long from = committed.getOrDefault(aggregate, 0L) + 1;
        database.store.save(aggregate, records(aggregate, from, count));
        committed.put(aggregate, from + count - 1);
    }

    List<Record> records(String aggregate, long from, int count) {
        List<Record> records = new ArrayList<>();
        for (long version = from; version < from + count; version++) {
            records.add(serializer.marshal(new Noted(aggregate, version, Instant.now(), "note " + version))
                .withAggregateType("Order")
                .withMetadata(Map.of("user", "ada", "trace id", "t-" + version)));
        }
        return records;
    }

    int committedCount() {
        return committed.values().stream().mapToInt(Long::intValue).sum();
    }

    KafkaConsumer<String, byte[]> consumer(TestBroker broker, String topic) {
        KafkaConsumer<String, byte[]> consumer = broker.consumer(topic);
        closeables.add(consumer);
        return consumer;
    }

    /** Polls until every committed event was received at least once. */
    List<ConsumerRecord<String, byte[]>> receiveAllCommitted(KafkaConsumer<String, byte[]> consumer,
            List<ConsumerRecord<String, byte[]>> received) {
        return TestBroker.pollUntil(consumer, received, (messages) -> distinct(messages).equals(expected()), WAIT);
    }

    /** @return every committed (aggregate, version), by aggregate, in version order */
    Map<String, List<Long>> expected() {
        Map<String, List<Long>> expected = new HashMap<>();
        committed.forEach((aggregate, last) -> {
            List<Long> versions = new ArrayList<>();
            for (long v = 1; v <= last; v++) {
                versions.add(v);
            }
            expected.put(aggregate, versions);
        });
        return expected;
    }

    /** @return the versions received per aggregate, in the order received, each once */
    /** What a consumer applies through {@link EventSequence}, and how many duplicates it drops. */
    record Consumed(Map<String, List<Long>> applied, int dropped) {
    }

    /**
     * Consumes the messages in the order received as the README's consumer does: each through an in-memory
     * {@link EventSequence}, duplicates dropped, the rest applied (a gap would throw).
     */
    static Consumed consumeThroughEventSequence(List<ConsumerRecord<String, byte[]>> received) {
        EventSequence sequence = EventSequence.inMemory();
        Map<String, List<Long>> applied = new HashMap<>();
        int dropped = 0;
        for (ConsumerRecord<String, byte[]> message : received) {
            Record record = EventMessages.parse(message);
            if (sequence.check(record) == EventSequence.Verdict.DUPLICATE) {
                dropped++;
                continue;
            }
            applied.computeIfAbsent(record.aggregateId(), (k) -> new ArrayList<>()).add(record.version());
            sequence.applied(record);
        }
        return new Consumed(applied, dropped);
    }

    static Map<String, List<Long>> distinct(List<ConsumerRecord<String, byte[]>> messages) {
        Map<String, List<Long>> versions = new HashMap<>();
        for (ConsumerRecord<String, byte[]> message : messages) {
            Record record = EventMessages.parse(message);
            List<Long> seen = versions.computeIfAbsent(record.aggregateId(), (k) -> new ArrayList<>());
            if (!seen.contains(record.version())) {
                seen.add(record.version());
            }
        }
        return versions;
    }

    /** @return the versions received per aggregate, in the order received, duplicates included */
    static Map<String, List<Long>> all(List<ConsumerRecord<String, byte[]>> messages) {
        Map<String, List<Long>> versions = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> message : messages) {
            Record record = EventMessages.parse(message);
            versions.computeIfAbsent(record.aggregateId(), (k) -> new ArrayList<>()).add(record.version());
        }
        return versions;
    }

    static void assertOnePartitionPerKey(List<ConsumerRecord<String, byte[]>> messages) {
        Map<String, Integer> partitions = new HashMap<>();
        for (ConsumerRecord<String, byte[]> message : messages) {
            Integer previous = partitions.putIfAbsent(message.key(), message.partition());
            assertThat(previous == null || previous == message.partition())
                .as("aggregate %s in one partition", message.key()).isTrue();
        }
    }

    static void awaitState(Subscription subscription, Subscription.State state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (subscription.state() != state && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(subscription.state()).isEqualTo(state);
    }

    static void awaitPosition(KafkaRelay relay, long position) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (relay.subscription().position() < position && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(relay.subscription().position()).isGreaterThanOrEqualTo(position);
    }
}
