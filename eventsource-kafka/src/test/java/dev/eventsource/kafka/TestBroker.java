package dev.eventsource.kafka;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A real Kafka broker (KRaft, in this JVM) for the tests: one shared, or a private one a test may stop and start
 * again, or a private one behind a {@link TcpProxy} that a test cuts off and restores.
 *
 * <p>spring-kafka-test 4.0.6's {@link EmbeddedKafkaKraftBroker} ignores {@code kafkaPorts} (Kafka's
 * {@code KafkaClusterTestKit} under it binds every listener to a free port of its own before it starts), and it
 * cannot start the same broker again: a broker started again is a new one, with none of the old one's messages, on a
 * new port, so clients made after the restart read {@link #bootstrapServers()} anew. An outage at the same address,
 * the broker and its messages kept, goes through a proxy instead ({@link #startBehind}): the broker advertises the
 * proxy's address ({@code advertised.listeners}, set through {@code brokerProperty}), so that a client's connections
 * after its bootstrap go through the proxy too; and the clients bootstrap at the proxy as well, since a Kafka 4
 * client bootstraps again ({@code metadata.recovery.strategy=rebootstrap}) when none of its brokers answers.
 */
final class TestBroker {

    static final int PARTITIONS = 4;
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static TestBroker shared;

    private final @Nullable TcpProxy proxy;
    private volatile EmbeddedKafkaKraftBroker broker;
    private volatile String bootstrapServers;

    private TestBroker(@Nullable TcpProxy proxy) {
        this.proxy = proxy;
        start();
    }

    static synchronized TestBroker shared() {
        if (shared == null) {
            shared = new TestBroker(null);
        }
        return shared;
    }

    /** @return a broker of its own, that the test stops */
    static TestBroker startPrivate() {
        return new TestBroker(null);
    }

    /**
     * Starts a broker of its own that clients reach only through a proxy ({@link #bootstrapServers()} is the
     * proxy's address), so that {@link TcpProxy#cut()} cuts them all off it.
     *
     * @return a broker of its own, that the test stops
     */
    static TestBroker startBehind(TcpProxy proxy) {
        return new TestBroker(proxy);
    }

    void start() {
        EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
        started.brokerProperty("auto.create.topics.enable", "false");
        if (proxy != null) {
            // EXTERNAL: the client listener of Kafka's KafkaClusterTestKit, under the embedded broker.
            started.brokerProperty("advertised.listeners", "EXTERNAL://" + proxy.address());
        }
        started.afterPropertiesSet();
        broker = started;
        if (proxy != null) {
            proxy.forwardTo(started.getBrokersAsString());
            bootstrapServers = proxy.address();
        } else {
            bootstrapServers = started.getBrokersAsString();
        }
    }

    /** Stops the broker; its messages are gone with it. */
    void stop() {
        broker.destroy();
    }

    String bootstrapServers() {
        // While stopped: the address it had, which refuses connections.
        return bootstrapServers;
    }

    /** @return a new topic with {@value #PARTITIONS} partitions */
    String newTopic(String prefix) {
        String topic = prefix + "-" + TOPICS.incrementAndGet();
        createTopic(topic);
        return topic;
    }

    void createTopic(String topic) {
        broker.addTopics(new NewTopic(topic, PARTITIONS, (short) 1));
    }

    Map<String, Object> producerSettings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return settings;
    }

    Supplier<Producer<String, byte[]>> producers() {
        return producers(Map.of());
    }

    Supplier<Producer<String, byte[]>> producers(Map<String, Object> overrides) {
        return () -> {
            Map<String, Object> settings = producerSettings();
            settings.putAll(overrides);
            return new KafkaProducer<>(KafkaRelay.producerConfig(settings));
        };
    }

    KafkaConsumer<String, byte[]> consumer(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            partitions.add(new TopicPartition(topic, i));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /**
     * Polls until the messages received satisfy a condition, or the timeout passes.
     *
     * @return every message received, in the order received
     */
    static List<ConsumerRecord<String, byte[]>> pollUntil(KafkaConsumer<String, byte[]> consumer,
            List<ConsumerRecord<String, byte[]>> received, Predicate<List<ConsumerRecord<String, byte[]>>> done,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(received) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(received::add);
        }
        return received;
    }
}
