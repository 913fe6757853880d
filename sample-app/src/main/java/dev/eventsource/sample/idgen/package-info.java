/** Identifiers the service generates for new aggregates: the seed's {@code idgen}. */
package dev.eventsource.sample.idgen;
