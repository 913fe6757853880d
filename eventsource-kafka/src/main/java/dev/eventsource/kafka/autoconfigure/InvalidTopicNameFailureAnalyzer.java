package dev.eventsource.kafka.autoconfigure;

import dev.eventsource.kafka.InvalidTopicNameException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a start-up failure on an {@code eventsource.kafka.topic} that Kafka would refuse. */
class InvalidTopicNameFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTopicNameException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidTopicNameException cause) {
        return new FailureAnalysis(cause.getMessage() + ".", "Change eventsource.kafka.topic to a valid topic name,"
                + " such as 'orders-events', or a pattern such as 'orders.{aggregateType}'.", cause);
    }
}
