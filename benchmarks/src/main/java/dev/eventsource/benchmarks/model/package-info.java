/** The benchmark domain: one account aggregate per contender, on shared event and command classes. */
package dev.eventsource.benchmarks.model;
