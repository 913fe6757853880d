package dev.eventsource.kafka.consumer;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.StoredEvent;
import dev.eventsource.kafka.EventMessages;
import dev.eventsource.subscription.ProjectionHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Objects;

/**
 * Runs a {@link dev.eventsource.annotation.Projection} class from Kafka messages published by a
 * {@link dev.eventsource.kafka.KafkaRelay}, in another service: each message is parsed
 * ({@link EventMessages#parse}), checked against its aggregate's versions ({@link EventSequence}: duplicates
 * dropped, a gap or reordering an error), turned into an event by the serializer with its upcasters, and handed to
 * the projection's {@code @EventHandler} method.
 *
 * <pre>{@code
 * @KafkaListener(topics = "orders")
 * void on(ConsumerRecord<String, byte[]> message) throws Exception {
 *     ordersProjection.handle(message);   // throws: the container's error handler retries, then stops or dead-letters
 * }
 * }</pre>
 *
 * <p>Nothing is ever passed over silently: a message that is not an event ({@link
 * dev.eventsource.kafka.InvalidEventMessageException}), an event type the serializer does not know
 * ({@link dev.eventsource.UnknownEventTypeException}), a payload that does not parse
 * ({@link dev.eventsource.SerializationException}), a gap ({@link EventSequenceGapException}) and a failing handler
 * all throw, and the message is not marked applied, so the listener's error handler decides: Spring Kafka's
 * {@code DefaultErrorHandler} retries and then, with a {@code DeadLetterPublishingRecoverer}, writes it to a
 * dead-letter topic (the events of that aggregate after it then fail as gaps until it is dealt with), or with
 * {@code CommonContainerStoppingErrorHandler} stops the container. Types the projection has no handler for are
 * read too, so an unknown type is noticed; {@link Builder#passOverUnhandledTypes} skips reading them instead.
 */
public final class KafkaProjection {

    private final ProjectionHandler handler;
    private final Serializer serializer;
    private final EventSequence sequence;
    private final boolean passOverUnhandledTypes;

    private KafkaProjection(Builder builder) {
        this.handler = builder.handler;
        this.serializer = builder.serializer;
        this.sequence = builder.sequence;
        this.passOverUnhandledTypes = builder.passOverUnhandledTypes;
    }

    /**
     * Starts building the Kafka runner of a projection; binds the projection's event types to the serializer.
     *
     * @param projection an object whose class is annotated {@link dev.eventsource.annotation.Projection}
     * @param serializer the serializer (with the upcasters) that reads the payloads
     * @return a builder
     * @throws dev.eventsource.InvalidHandlerException when the projection's handler methods are not valid
     */
    public static Builder builder(Object projection, Serializer serializer) {
        ProjectionHandler handler = ProjectionHandler.of(projection);
        serializer.bind(handler.eventTypes().toArray(Class<?>[]::new));
        return new Builder(handler, serializer);
    }

    /** @return the projection's name */
    public String name() {
        return handler.name();
    }

    /**
     * Applies one message to the projection, unless it is a duplicate.
     *
     * @param message a message from the relay's topic
     * @return true when applied (or passed over as a type without handler), false when dropped as a duplicate
     * @throws dev.eventsource.kafka.InvalidEventMessageException when the message is not an event
     * @throws EventSequenceGapException when versions of its aggregate are missing before it
     * @throws dev.eventsource.UnknownEventTypeException when the serializer knows no class for its type
     * @throws dev.eventsource.SerializationException when its payload does not parse
     * @throws Exception what the projection's handler throws
     */
    public boolean handle(ConsumerRecord<?, byte[]> message) throws Exception {
        Record record = EventMessages.parse(message);
        if (sequence.check(record) == EventSequence.Verdict.DUPLICATE) {
            return false;
        }
        if (passOverUnhandledTypes && !handler.handles(serializer.currentType(record))) {
            sequence.applied(record);
            return true;
        }
        Event event = serializer.unmarshal(record);
        handler.handle(new StoredEvent(event, record.metadata(), record.position()));
        sequence.applied(record);
        return true;
    }

    @Override
    public String toString() {
        return "KafkaProjection[" + handler.name() + "]";
    }

    /** Configures a {@link KafkaProjection}. */
    public static final class Builder {

        private final ProjectionHandler handler;
        private final Serializer serializer;
        private EventSequence sequence = EventSequence.inMemory();
        private boolean passOverUnhandledTypes;

        private Builder(ProjectionHandler handler, Serializer serializer) {
            this.handler = handler;
            this.serializer = serializer;
        }

        /**
         * Sets where the aggregates' versions are kept; in memory by default.
         *
         * @return this builder
         */
        public Builder sequence(EventSequence sequence) {
            this.sequence = Objects.requireNonNull(sequence, "sequence");
            return this;
        }

        /**
         * Sets whether events of types the projection has no handler for are passed over without being read (false
         * by default: every event is read, so a type unknown to the serializer is an error).
         *
         * @return this builder
         */
        public Builder passOverUnhandledTypes(boolean passOver) {
            this.passOverUnhandledTypes = passOver;
            return this;
        }

        /** @return the projection runner */
        public KafkaProjection build() {
            return new KafkaProjection(this);
        }
    }
}
