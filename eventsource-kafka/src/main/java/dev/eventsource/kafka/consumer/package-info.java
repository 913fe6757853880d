/**
 * The consumer side of {@link dev.eventsource.kafka.KafkaRelay}: {@link dev.eventsource.kafka.consumer.EventSequence}
 * drops duplicates and detects gaps per aggregate, {@link dev.eventsource.kafka.consumer.KafkaProjection} runs a
 * {@link dev.eventsource.annotation.Projection} from Kafka messages.
 */
@NullMarked
package dev.eventsource.kafka.consumer;

import org.jspecify.annotations.NullMarked;
