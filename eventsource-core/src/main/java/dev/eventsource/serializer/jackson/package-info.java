/**
 * Jackson 3 serializers: JSON, and CBOR as the binary analogue of the seed's gob.
 *
 * <p><b>Owns</b> the mapping between event classes and payload bytes, and the type names bound to it.
 * <b>Imports</b> the API package only (never {@code internal}, a store, subscriptions or Spring): a serializer knows
 * events and records, not where they are kept.
 */
@NullMarked
package dev.eventsource.serializer.jackson;

import org.jspecify.annotations.NullMarked;
