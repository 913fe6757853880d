/** The contenders: this library, raw JDBC with and without the append lock, and Axon Framework. */
package dev.eventsource.benchmarks.contender;
