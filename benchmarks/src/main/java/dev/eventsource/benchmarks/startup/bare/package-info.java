/** The start-up benchmark's baseline: a bare Spring Boot application. */
package dev.eventsource.benchmarks.startup.bare;
