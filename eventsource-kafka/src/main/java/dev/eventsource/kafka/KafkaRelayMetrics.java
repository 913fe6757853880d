package dev.eventsource.kafka;

import java.util.function.LongSupplier;

/**
 * What a {@link KafkaRelay} reports beside its subscription's metrics (events processed, failures, lag in positions,
 * halted): records sent and acknowledged, how long after the event each acknowledgement came, and the records in
 * flight. Methods are called on the relay's and the producer's threads and must be cheap.
 */
public interface KafkaRelayMetrics {

    /** Reports nothing. */
    KafkaRelayMetrics NONE = new KafkaRelayMetrics() {
    };

    /**
     * Records handed to the producer.
     *
     * @param relay the relay's name
     * @param records how many
     */
    default void sent(String relay, int records) {
    }

    /**
     * A record acknowledged by the broker.
     *
     * @param relay the relay's name
     * @param millisSinceEvent milliseconds from the event's time (when it was appended) to the acknowledgement
     */
    default void acknowledged(String relay, long millisSinceEvent) {
    }

    /**
     * Called once when the relay is built, with what counts the records sent and not yet acknowledged.
     *
     * @param relay the relay's name
     * @param inFlight the count
     */
    default void inFlight(String relay, LongSupplier inFlight) {
    }
}
