/**
 * The {@code eventsource} Actuator endpoint: the store and every subscription's state, dead letters and
 * operations (restart, skip, replay, reset, pause, resume), for an operator.
 *
 * <p><b>Owns</b> the endpoint and its auto-configuration, active with spring-boot-actuator on the classpath.
 * <b>Imports</b> the public packages of eventsource-core and the auto-configuration package.
 */
@NullMarked
package dev.eventsource.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
