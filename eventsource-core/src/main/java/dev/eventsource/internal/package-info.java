/**
 * Implementation details shared by the library's packages; not API, and may change in any release.
 *
 * <p><b>Owns</b> the rules every store and the repository apply alike: argument and batch checks
 * ({@link dev.eventsource.internal.Batches}), what a record may hold ({@link dev.eventsource.internal.RecordValidator}),
 * when a re-saved batch is identical to the stored one ({@link dev.eventsource.internal.IdenticalRecords}), what a
 * JDBC failure means ({@link dev.eventsource.internal.SqlFailures}), and the {@code @EventHandler} model of
 * aggregates and projections ({@link dev.eventsource.internal.HandlerMethods},
 * {@link dev.eventsource.internal.AggregateModel}).
 *
 * <p><b>Imports</b> only the API package and {@code dev.eventsource.annotation}: never a store, serializer,
 * subscription or Micrometer package, and never Spring. It is the hidden half of the API package: the
 * {@link dev.eventsource.Repository} uses it and it uses the API's types, so the architecture test counts the two
 * packages as one unit when it looks for circles.
 */
@NullMarked
package dev.eventsource.internal;

import org.jspecify.annotations.NullMarked;
