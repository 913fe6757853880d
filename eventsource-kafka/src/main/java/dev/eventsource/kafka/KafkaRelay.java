package dev.eventsource.kafka;

import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.Store;
import dev.eventsource.subscription.RecordPipeline;
import dev.eventsource.subscription.Subscription;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Publishes every committed event of a {@link Store} to Kafka, in position order, keyed by aggregate id, as
 * CloudEvents ({@link EventMessages}), at least once, ordered per aggregate.
 *
 * <p>It is a {@link Subscription} ({@link #subscription()}), so it has a checkpoint, a lease (one active relay among
 * the instances of a service), metrics and a halt like any other. It reads the stored records without deserializing
 * them and sends them through an idempotent producer ({@code acks=all}, {@code enable.idempotence=true}, at most 5
 * requests in flight per connection: {@link #producerConfig}), so the broker keeps each partition in send order even
 * across the producer's own retries.
 *
 * <h2>The checkpoint and the window</h2>
 * Sends are pipelined: the relay keeps reading and sending while earlier records wait for their acknowledgement, up
 * to {@link Builder#window} records in flight. Once per batch read, the checkpoint advances to the highest position
 * whose record, and every record before it, the broker acknowledged. So a crash re-sends at most the window and one
 * batch (the duplicates a consumer may see, which {@link dev.eventsource.kafka.consumer.EventSequence} drops by
 * aggregate and version), and never skips an event.
 *
 * <h2>Failures</h2>
 * The producer retries a send until {@code delivery.timeout.ms}. When a send still fails with a retriable error (the
 * broker unreachable, a topic without a leader) the relay closes the producer at once, abandoning the later records
 * in flight so none of them is written after the failed one, and starts again from the checkpoint with a new
 * producer after a backoff, for as long as it runs; the write path never waits for Kafka. A non-retriable failure (a
 * record too large, a topic the broker refuses, no authorization) closes the producer the same way and halts the
 * relay ({@link Subscription.State#HALTED}, an ERROR log line naming the event): it keeps its lease and waits; fix
 * the cause and restart it ({@link Subscription#restart()}, or the {@code eventsource} Actuator endpoint): it resumes
 * from the checkpoint.
 */
public final class KafkaRelay implements RecordPipeline {

    /** The subscription name of a relay, unless set. */
    public static final String DEFAULT_NAME = "kafka-relay";
    /** Records in flight at most, unless set. */
    public static final int DEFAULT_WINDOW = 5000;
    /** Records read from the store at a time, unless set. */
    public static final int DEFAULT_BATCH_SIZE = 2000;

    private static final System.Logger LOG = System.getLogger(KafkaRelay.class.getName());

    private final String name;
    private final Supplier<Producer<String, byte[]>> producers;
    private final KafkaTopic topic;
    private final EventMessages messages;
    private final int window;
    private final KafkaRelayMetrics metrics;
    private final Subscription subscription;

    // A ring of the records in flight, by send sequence number, [head, tail): sequence numbers are never reused,
    // so an acknowledgement of an abandoned send cannot be taken for one of a later send in the same slot. Only the
    // subscription's thread moves head and tail and reads the ring; the producer's I/O thread only marks
    // acknowledgements, without a lock, so that it spends its time sending.
    private final long[] positions;
    private final long[] eventMillis;
    private final long[] acknowledgedMillis;
    private final @Nullable Record[] records;
    /** Per slot: 1 + the highest sequence number acknowledged in it. */
    private final AtomicLongArray acknowledged;
    private volatile long head;
    private volatile long tail;
    private long completedPosition = -1;
    private long completedCount;
    private volatile int generation;

    // Failures, waits for acknowledgements and the producer's replacement go through the lock.
    private final Object lock = new Object();
    private volatile @Nullable Failure failure;
    private long failedSequence = -1;
    private volatile int waiting;
    private @Nullable Producer<String, byte[]> producer;

    // Since when records wait for an acknowledgement without one arriving, and since when sends fail; 0: not.
    private volatile long waitingSince;
    private volatile long failingSince;

    private KafkaRelay(Builder builder) {
        this.name = builder.name;
        this.producers = builder.producers;
        this.topic = builder.topic;
        this.messages = EventMessages.of(builder.source, builder.format);
        this.window = builder.window;
        this.metrics = builder.metrics;
        this.positions = new long[window];
        this.eventMillis = new long[window];
        this.acknowledgedMillis = new long[window];
        this.records = new Record[window];
        this.acknowledged = new AtomicLongArray(window);
        Subscription.Builder subscription = Subscription.builder(name, builder.store, this)
            .batchSize(DEFAULT_BATCH_SIZE);
        builder.subscription.accept(subscription);
        this.subscription = subscription.build();
        metrics.inFlight(name, this::inFlight);
    }

    /**
     * Starts building a relay.
     *
     * @param store the store whose committed events it publishes
     * @param producers makes a producer, at the start and again after a failure; give it the settings of
     *     {@link #producerConfig}
     * @param topic where the events go
     * @return a builder
     */
    public static Builder builder(Store store, Supplier<Producer<String, byte[]>> producers, KafkaTopic topic) {
        return new Builder(Objects.requireNonNull(store, "store"), Objects.requireNonNull(producers, "producers"),
                Objects.requireNonNull(topic, "topic"));
    }

    /**
     * Returns producer settings the relay relies on, on top of the given ones: string keys and byte-array values,
     * {@code acks=all}, {@code enable.idempotence=true}, and {@code max.in.flight.requests.per.connection} at most
     * 5 (the idempotent producer keeps order only up to 5).
     *
     * @param settings the connection and tuning settings (for example Spring Boot's {@code spring.kafka.producer.*})
     * @return a new map with the relay's settings in force
     */
    public static Map<String, Object> producerConfig(Map<String, ?> settings) {
        Map<String, Object> config = new LinkedHashMap<>(settings);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Object acks = config.put(ProducerConfig.ACKS_CONFIG, "all");
        if (acks != null && !"all".equals(String.valueOf(acks)) && !"-1".equals(String.valueOf(acks))) {
            LOG.log(System.Logger.Level.WARNING, "The Kafka relay sends with acks=all, not acks=" + acks + ": an"
                    + " event counts as published only once every in-sync replica has it");
        }
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Object inFlight = config.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight == null || Integer.parseInt(String.valueOf(inFlight)) > 5) {
            config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        }
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return config;
    }

    /** @return the relay's name, also its subscription's */
    public String name() {
        return name;
    }

    /** @return the subscription that drives the relay: its state, checkpoint and failure */
    public Subscription subscription() {
        return subscription;
    }

    /** @return where the events go */
    public KafkaTopic topic() {
        return topic;
    }

    /** @return the most records in flight, also the most a crash sends twice */
    public int window() {
        return window;
    }

    /** Starts publishing, also again after a stop (from the checkpoint); see {@link Subscription#start()}. */
    public void start() {
        subscription.start();
    }

    /**
     * Stops after waiting for the records in flight (up to the lease time), checkpoints them, and closes the producer.
     *
     * @param timeout how long to wait
     * @return whether it stopped within the timeout
     */
    public boolean stop(Duration timeout) {
        return subscription.stop(timeout);
    }

    /** Reads the store now rather than at the next poll: call it after an append. */
    public void wake() {
        subscription.wake();
    }

    /** @return whether the relay stopped on a send that cannot succeed; see {@link Subscription#failure()} */
    public boolean isHalted() {
        Subscription.State state = subscription.state();
        return state == Subscription.State.HALTED || state == Subscription.State.FAILED;
    }

    /**
     * Returns how long the relay has been waiting for the broker: since its oldest record in flight was sent (or the
     * last acknowledgement, if later), or since its sends began to fail.
     *
     * @return the time, or zero when nothing waits
     */
    public Duration unacknowledgedFor() {
        long now = System.nanoTime();
        long waited = waitingSince == 0 ? 0 : now - waitingSince;
        long failed = failingSince == 0 ? 0 : now - failingSince;
        return Duration.ofNanos(Math.max(0, Math.max(waited, failed)));
    }

    /** @return the records sent and not yet acknowledged */
    public long inFlight() {
        return Math.max(0, tail - head);
    }

    @Override
    public void submit(Record record) throws InterruptedException {
        String destination;
        try {
            destination = topic.topic(record);
        } catch (InvalidTopicNameException e) {
            // Let the records before it complete, so that the halt checkpoints them and repeats only this one.
            long before = completed(Duration.ofSeconds(30));
            throw new Failure("Kafka relay '" + name + "' cannot send the event at position " + record.position()
                    + " (type " + record.type() + ", aggregate '" + record.aggregateId() + "'): " + e.getMessage(),
                    record, false, inFlight() == 0 ? before : -1, e);
        }
        while (tail - head >= window) {
            if (advance() == 0) {
                awaitAcknowledgement(100);
            }
            throwIfFailed();
        }
        throwIfFailed();
        long sequence = tail;
        int slot = slot(sequence);
        positions[slot] = record.position();
        eventMillis[slot] = record.at().toEpochMilli();
        records[slot] = record;
        if (sequence == head) {
            waitingSince = nonZero(System.nanoTime());
        }
        tail = sequence + 1;
        int sentGeneration = generation;
        Producer<String, byte[]> current;
        try {
            current = producer();
        } catch (RuntimeException e) {
            Failure failed = new Failure("Kafka relay '" + name + "' cannot send the event at position "
                    + record.position() + " (type " + record.type() + ", aggregate '" + record.aggregateId()
                    + "'): " + e.getMessage(), record, false, e);
            fail(sentGeneration, sequence, failed);
            throw failed;
        }
        try {
            current.send(messages.toMessage(destination, record), new Acknowledgement(sentGeneration, sequence));
        } catch (RuntimeException e) {
            // Not an ApiException (those reach the callback): the producer is closed or interrupted.
            acknowledge(sentGeneration, sequence, e);
            throwIfFailed();
            throw e;
        }
        metrics.sent(name, 1);
    }

    @Override
    public long completed(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            advance();
            throwIfFailed();
            long left = deadline - System.nanoTime();
            if (head >= tail || left <= 0) {
                return completedPosition;
            }
            awaitAcknowledgement(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public long completedCount() {
        return completedCount;
    }

    @Override
    public void reset() {
        abandon(Duration.ZERO);
    }

    @Override
    public void close(Duration timeout) {
        abandon(timeout);
    }

    private int slot(long sequence) {
        return (int) (sequence % window);
    }

    /** Moves head past the acknowledged records at the front of the ring; on the subscription's thread. */
    private int advance() {
        long h = head;
        long t = tail;
        int done = 0;
        while (h < t) {
            int slot = slot(h);
            if (acknowledged.get(slot) < h + 1) {
                break;
            }
            completedPosition = positions[slot];
            metrics.acknowledged(name, acknowledgedMillis[slot] - eventMillis[slot]);
            records[slot] = null;
            h++;
            done++;
        }
        if (done > 0) {
            head = h;
            completedCount += done;
            waitingSince = h < t ? nonZero(System.nanoTime()) : 0;
            long since = failingSince;
            if (since != 0) {
                failingSince = 0;
                LOG.log(System.Logger.Level.INFO, () -> "Kafka relay '" + name + "' is sending again after "
                        + Duration.ofNanos(System.nanoTime() - since).toSeconds() + " s of failed sends");
            }
        }
        return done;
    }

    /** Waits until the record at the head is acknowledged, a send failed, or the time is up. */
    private void awaitAcknowledgement(long millis) throws InterruptedException {
        synchronized (lock) {
            waiting++;
            try {
                // Checked after announcing the wait: an acknowledgement marked after this check finds waiting > 0
                // and notifies, once this thread waits (it holds the lock until then).
                long h = head;
                if (failure == null && h < tail && acknowledged.get(slot(h)) < h + 1) {
                    lock.wait(millis);
                }
            } finally {
                waiting--;
            }
        }
    }

    private void throwIfFailed() {
        Failure failed = failure;
        if (failed == null) {
            return;
        }
        advance();
        if (failed.completedBefore() < 0 && failedSequence == head) {
            // Every record before the failed one was acknowledged: a halt checkpoints them.
            throw new Failure(failed.getMessage(), failed.record(), failed.retriable(), completedPosition,
                    failed.getCause());
        }
        throw failed;
    }

    private void abandon(Duration timeout) {
        Producer<String, byte[]> old;
        synchronized (lock) {
            generation++;
            head = tail;
            Arrays.fill(records, null);
            completedPosition = -1;
            completedCount = 0;
            failure = null;
            failedSequence = -1;
            old = producer;
            producer = null;
            waitingSince = 0;
            lock.notifyAll();
        }
        if (old != null) {
            closeQuietly(old, timeout);
        }
    }

    private Producer<String, byte[]> producer() {
        synchronized (lock) {
            if (producer == null) {
                producer = Objects.requireNonNull(producers.get(), "the producer supplier returned null");
            }
            return producer;
        }
    }

    /** Called on the producer's I/O thread (or the relay's, for a send that threw). */
    private void acknowledge(int sentGeneration, long sequence, @Nullable Exception exception) {
        if (sentGeneration != generation) {
            return;
        }
        int slot = slot(sequence);
        if (exception == null) {
            acknowledgedMillis[slot] = System.currentTimeMillis();
            acknowledged.accumulateAndGet(slot, sequence + 1, Math::max);
            if (waiting > 0) {
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
            return;
        }
        Record record = records[slot];
        boolean retriable = exception instanceof RetriableException;
        String what = record == null ? "an event" : "the event at position " + record.position() + " (type "
                + record.type() + ", aggregate '" + record.aggregateId() + "')";
        fail(sentGeneration, sequence, new Failure("Kafka did not acknowledge " + what + " on topic '"
                + (record == null ? topic.value() : topic.topic(record)) + "': " + exception
                + (retriable ? "; the broker may be unreachable, the relay retries from its checkpoint"
                : "; the relay halts: fix the cause, then restart it"), record, retriable, exception));
    }

    /** Records the first failure and closes the producer at once, so no later record in flight is written. */
    private void fail(int sentGeneration, long sequence, Failure failed) {
        Producer<String, byte[]> abandoned;
        synchronized (lock) {
            if (sentGeneration != generation || failure != null) {
                return;
            }
            failure = failed;
            failedSequence = sequence;
            abandoned = producer;
            producer = null;
            if (failed.retriable() && failingSince == 0) {
                // The broker has been silent since the oldest record in flight was sent (or last acknowledged).
                // Read under the lock: once the relay's thread sees the failure, it abandons the records in
                // flight (abandon(), under the lock too), which clears waitingSince.
                long since = waitingSince;
                failingSince = since != 0 ? since : nonZero(System.nanoTime());
            }
            lock.notifyAll();
        }
        if (abandoned != null) {
            closeQuietly(abandoned, Duration.ZERO);
        }
    }

    private void closeQuietly(Producer<String, byte[]> abandoned, Duration timeout) {
        try {
            abandoned.close(timeout);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Kafka relay '" + name + "': closing a producer failed: " + e);
        }
    }

    private static long nonZero(long nanos) {
        return nanos == 0 ? 1 : nanos;
    }

    @Override
    public String toString() {
        return "KafkaRelay[" + name + " -> " + topic + ", " + subscription.state() + ", position "
                + subscription.position() + "]";
    }

    /** The callback of one send. */
    private final class Acknowledgement implements Callback {

        private final int sentGeneration;
        private final long sequence;

        Acknowledgement(int sentGeneration, long sequence) {
            this.sentGeneration = sentGeneration;
            this.sequence = sequence;
        }

        @Override
        public void onCompletion(@Nullable RecordMetadata metadata, @Nullable Exception exception) {
            acknowledge(sentGeneration, sequence, exception);
        }
    }

    /** Configures a {@link KafkaRelay}. */
    public static final class Builder {

        private final Store store;
        private final Supplier<Producer<String, byte[]>> producers;
        private final KafkaTopic topic;
        private String name = DEFAULT_NAME;
        private String source = "eventsource";
        private PayloadFormat format = PayloadFormat.JSON;
        private int window = DEFAULT_WINDOW;
        private KafkaRelayMetrics metrics = KafkaRelayMetrics.NONE;
        private Consumer<Subscription.Builder> subscription = (builder) -> {
        };

        private Builder(Store store, Supplier<Producer<String, byte[]>> producers, KafkaTopic topic) {
            this.store = store;
            this.producers = producers;
            this.topic = topic;
        }

        /**
         * Sets the relay's name, which keys its checkpoint and lease ({@value #DEFAULT_NAME} by default).
         *
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets the {@code ce_source} of the messages: the publishing service's name.
         *
         * @return this builder
         */
        public Builder source(String source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Sets the format of the stored payloads, which sets the messages' content type (JSON by default).
         *
         * @return this builder
         */
        public Builder payloadFormat(PayloadFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Sets how many records may be in flight (sent, not yet acknowledged): a larger window sends faster over
         * a slow link; with the batch size, it bounds the records a crash sends twice.
         *
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder window(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("Kafka relay window must be at least 1, got " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * Sets where the relay's own metrics go.
         *
         * @return this builder
         */
        public Builder metrics(KafkaRelayMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Configures the relay's subscription: its checkpoint store (memory by default, so set one), lease, poll
         * interval, backoff, batch size ({@value #DEFAULT_BATCH_SIZE} by default) and metrics.
         *
         * @return this builder
         */
        public Builder subscription(Consumer<Subscription.Builder> customizer) {
            this.subscription = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Builds the relay.
         *
         * @return the relay, not started
         * @throws IllegalArgumentException when the name or the source is not valid
         */
        public KafkaRelay build() {
            return new KafkaRelay(this);
        }
    }
}
