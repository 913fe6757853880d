/**
 * Upcasting: stored events of an older revision of their shape are turned into today's shape on every read,
 * before a class is bound. An {@link dev.eventsource.upcast.Upcaster} is one step (type, revision n) &rarr;
 * (type', revision n+1) on the Jackson tree; {@link dev.eventsource.upcast.StepUpcaster} builds steps from common
 * helpers; {@link dev.eventsource.upcast.UpcasterChain} checks a set of steps against the bound classes and plans
 * the path of each stored (type, revision).
 *
 * <p><b>Owns</b> the upcaster API and the chain rules. <b>Imports</b> the API package (its exceptions) and
 * Jackson's tree model; no store, serializer implementation, subscription or Spring.
 */
@NullMarked
package dev.eventsource.upcast;

import org.jspecify.annotations.NullMarked;
