/**
 * Micrometer instrumentation of repositories ({@link dev.eventsource.micrometer.MicrometerRepositoryMetrics}) and
 * subscriptions ({@link dev.eventsource.micrometer.MicrometerSubscriptionMetrics}), with their meter names in
 * {@link dev.eventsource.micrometer.EventSourceMeters}. Needs {@code io.micrometer:micrometer-core}.
 */
@NullMarked
package dev.eventsource.micrometer;

import org.jspecify.annotations.NullMarked;
