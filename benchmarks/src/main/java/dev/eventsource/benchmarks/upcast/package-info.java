/**
 * The schema-evolution benchmarks of issue 14: an aggregate whose two event types are in revision 2, their stored
 * revision 1 shapes, the upcasters between them and the histories the benchmarks seed in either shape.
 */
package dev.eventsource.benchmarks.upcast;
