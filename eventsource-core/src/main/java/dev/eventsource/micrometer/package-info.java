/**
 * Micrometer instrumentation of repositories ({@link dev.eventsource.micrometer.MicrometerRepositoryMetrics}) and
 * subscriptions ({@link dev.eventsource.micrometer.MicrometerSubscriptionMetrics}), with their meter names in
 * {@link dev.eventsource.micrometer.EventSourceMeters}. Needs {@code io.micrometer:micrometer-core}.
 *
 * <p><b>Owns</b> the meters and their names. <b>Imports</b> the metrics interfaces of the API and of
 * {@code dev.eventsource.subscription}, never a store or serializer, and never Spring; nothing else in this library
 * imports it, so Micrometer stays optional.
 */
@NullMarked
package dev.eventsource.micrometer;

import org.jspecify.annotations.NullMarked;
