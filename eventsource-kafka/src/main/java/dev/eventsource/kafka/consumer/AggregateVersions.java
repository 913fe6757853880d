package dev.eventsource.kafka.consumer;

import org.jspecify.annotations.Nullable;

/**
 * Where an {@link EventSequence} keeps the last version applied per aggregate. A read model that implements it on
 * its own tables, written in the transaction that applies the event, keeps the versions exactly as durable as what
 * they describe: then a consumer restart neither applies a duplicate nor misses a gap.
 */
public interface AggregateVersions {

    /**
     * Returns the last version applied of an aggregate.
     *
     * @param aggregateType the aggregate type, or null when the message has none
     * @param aggregateId the aggregate id
     * @return its version, 0 when no event of it was applied, or -1 when not known (an in-memory record after a
     *     restart): then the next event is taken as it comes
     */
    long lastVersion(@Nullable String aggregateType, String aggregateId);

    /**
     * Records that an event was applied.
     *
     * @param aggregateType the aggregate type, or null when the message has none
     * @param aggregateId the aggregate id
     * @param version the event's version
     */
    void applied(@Nullable String aggregateType, String aggregateId, long version);
}
