/**
 * Spring Boot auto-configuration of eventsource: the {@code eventsource.*} properties, the serializer and store
 * beans, one {@code Repository<A>} bean per aggregate found on the classpath, metrics, and failure analyzers.
 */
@NullMarked
package dev.eventsource.autoconfigure;

import org.jspecify.annotations.NullMarked;
