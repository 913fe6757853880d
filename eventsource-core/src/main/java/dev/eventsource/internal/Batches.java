package dev.eventsource.internal;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * Argument checks every store (and the repository) makes before touching storage, so all reject bad input alike.
 */
public final class Batches {

    private Batches() {
    }

    /**
     * Checks an aggregate id: the one check behind the repository's and every store's arguments, so they reject a
     * bad id with the same message.
     *
     * @throws IllegalArgumentException when the id is null or blank
     */
    public static void requireAggregateId(String aggregateId) {
        if (aggregateId == null || aggregateId.isBlank()) {
            throw new IllegalArgumentException("Aggregate id must not be null or blank, got "
                    + (aggregateId == null ? "null" : "'" + aggregateId + "'"));
        }
    }

    /**
     * Checks a batch for {@link dev.eventsource.Store#save} by a store that does not know its payloads' format (one aggregate, one aggregate type, consecutive versions); see
     * {@link #validate(String, List, PayloadFormat)}.
     *
     * @throws IllegalArgumentException naming the first problem found
     * @throws dev.eventsource.InvalidEventException when a record holds what no store can keep
     */
    public static void validate(String aggregateId, List<Record> records) {
        validate(aggregateId, records, null);
    }

    /**
     * Checks a batch for {@link dev.eventsource.Store#save}: a non-blank id, no null record, every record of
     * that aggregate, versions consecutive; then the rules of {@link dev.eventsource.EventLimits}
     * ({@link RecordValidator}), payloads included when their format is known.
     *
     * @param format the payloads' format, or {@code null} when the store does not know it
     * @throws IllegalArgumentException naming the first problem found
     * @throws dev.eventsource.InvalidEventException when a record holds what no store can keep
     */
    public static void validate(String aggregateId, List<Record> records, @Nullable PayloadFormat format) {
        requireAggregateId(aggregateId);
        if (records == null) {
            throw new IllegalArgumentException("Records of aggregate '" + aggregateId + "' must not be null");
        }
        for (int i = 0; i < records.size(); i++) {
            Record record = records.get(i);
            if (record == null) {
                throw new IllegalArgumentException("Record at index " + i + " of aggregate '" + aggregateId
                        + "' is null; nothing was stored");
            }
            if (!aggregateId.equals(record.aggregateId())) {
                throw new IllegalArgumentException("Record at index " + i + " belongs to aggregate '"
                        + record.aggregateId() + "', not '" + aggregateId + "'; nothing was stored");
            }
            if (record.aggregateType() == null) {
                throw new IllegalArgumentException("Record at index " + i + " of aggregate '" + aggregateId
                        + "' has no aggregate type; give it the type of the aggregate's stream"
                        + " (Record.withAggregateType); nothing was stored");
            }
            if (i > 0 && !record.aggregateType().equals(records.get(0).aggregateType())) {
                throw new IllegalArgumentException("Records of aggregate '" + aggregateId + "' name two aggregate types, '"
                        + records.get(0).aggregateType() + "' and '" + record.aggregateType()
                        + "'; a stream has one type; nothing was stored");
            }
            if (i > 0 && record.version() != records.get(i - 1).version() + 1) {
                throw new IllegalArgumentException("Records of aggregate '" + aggregateId
                        + "' must have consecutive versions, but version " + records.get(i - 1).version()
                        + " is followed by " + record.version() + "; nothing was stored");
            }
        }
        if (!records.isEmpty()) {
            RecordValidator.check(aggregateId, records, format);
        }
    }

    /**
     * Returns the error a store raises when a batch names another aggregate type than the stream stored under its
     * id: ids are unique across aggregate types.
     *
     * @param records the refused batch, validated
     * @param storedType the type of the stream already stored
     * @return the exception to throw
     */
    public static AggregateNotFoundException wrongStreamType(List<Record> records, String storedType) {
        Record first = records.get(0);
        return new AggregateNotFoundException(first.aggregateType(), first.aggregateId(), storedType);
    }

    /**
     * Checks the arguments of {@link dev.eventsource.Store#load}.
     *
     * @throws IllegalArgumentException when the id is blank, holds a character no store can keep, or a bound is
     *     negative
     */
    public static void validateRange(String aggregateId, long fromVersion, long toVersion) {
        requireAggregateId(aggregateId);
        // No stored id holds a NUL or a lone surrogate (RecordValidator), but databases would answer a load of one
        // differently: PostgreSQL fails on a NUL, and its driver turns a lone surrogate into '?', which could match
        // another aggregate's id.
        RecordValidator.requireNoInvalidChars(aggregateId);
        if (fromVersion < 0 || toVersion < 0) {
            throw new IllegalArgumentException("Version bounds must be 0 (open) or positive, got from "
                    + fromVersion + " to " + toVersion);
        }
    }

    /**
     * Checks the arguments of {@link dev.eventsource.Store#readAll}.
     *
     * @throws IllegalArgumentException when the position is negative or the limit below 1
     */
    public static void validateStreamRead(long afterPosition, int limit) {
        if (afterPosition < 0) {
            throw new IllegalArgumentException("Position must be 0 or more, got " + afterPosition);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("Limit must be at least 1, got " + limit);
        }
    }
}
