/**
 * Spring Boot auto-configuration of eventsource: the {@code eventsource.*} properties, the serializer and store
 * beans, one {@code Repository<A>} bean per aggregate found on the classpath, metrics, and failure analyzers.
 *
 * <p><b>Owns</b> everything that is Spring: beans, conditions, properties, scanning, failure analyzers.
 * <b>Imports</b> the public packages of eventsource-core and Spring; never {@code dev.eventsource.internal}
 * (the core's rules reach Spring through the core's public types).
 */
@NullMarked
package dev.eventsource.autoconfigure;

import org.jspecify.annotations.NullMarked;
