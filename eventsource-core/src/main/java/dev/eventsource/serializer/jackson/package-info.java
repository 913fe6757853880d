/**
 * Jackson 3 serializers: JSON, and CBOR as the binary analogue of the seed's gob.
 */
package dev.eventsource.serializer.jackson;
