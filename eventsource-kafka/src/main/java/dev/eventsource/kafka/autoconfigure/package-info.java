/**
 * Spring Boot auto-configuration of the Kafka relay: {@code eventsource.kafka.*}, the producer from
 * {@code spring.kafka.*}, metrics and a health indicator.
 */
@NullMarked
package dev.eventsource.kafka.autoconfigure;

import org.jspecify.annotations.NullMarked;
