/**
 * Micrometer instrumentation of repositories: {@link dev.eventsource.micrometer.MicrometerRepositoryMetrics}, with
 * its meter names in {@link dev.eventsource.micrometer.EventSourceMeters}. Needs {@code io.micrometer:micrometer-core}.
 */
package dev.eventsource.micrometer;
