/**
 * Publishing the global event stream to Kafka: {@link dev.eventsource.kafka.KafkaRelay}, a durable subscription
 * that sends every committed event in order, and the message format, {@link dev.eventsource.kafka.EventMessages}.
 */
@NullMarked
package dev.eventsource.kafka;

import org.jspecify.annotations.NullMarked;
