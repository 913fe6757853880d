/**
 * Jackson 3 serializers: JSON, and CBOR as the binary analogue of the seed's gob.
 */
@NullMarked
package dev.eventsource.serializer.jackson;

import org.jspecify.annotations.NullMarked;
