/**
 * JMH benchmarks of this library against raw JDBC and Axon Framework on one embedded PostgreSQL server; start
 * with {@link dev.eventsource.benchmarks.BenchmarkRunner}.
 */
package dev.eventsource.benchmarks;
