/** The start-up benchmark's application on the eventsource starter. */
package dev.eventsource.benchmarks.startup.starter;
