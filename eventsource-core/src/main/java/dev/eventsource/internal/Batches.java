package dev.eventsource.internal;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;

import java.util.List;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.ToLongFunction;

/**
 * Argument checks every store (and the repository) makes before touching storage, so all reject bad input alike.
 * The rule of a batch, "one aggregate, consecutive versions", is {@link #requireOneStream}, for the repository's
 * events and the stores' records alike.
 */
public final class Batches {

    /**
     * The exceptions a caller of {@link #requireOneStream} throws for each way a batch breaks the rule: the
     * repository speaks of events and throws {@link dev.eventsource.InvalidEventException}, a store speaks of
     * records and throws {@link IllegalArgumentException}; the rule itself is the same.
     *
     * @param <T> the items of the batch
     */
    public interface Breaks<T> {

        /** @return the exception for a null item at an index */
        RuntimeException nullItem(int index);

        /** @return the exception for an item of another aggregate */
        RuntimeException otherAggregate(int index, T item);

        /** @return the exception for an item whose version is not the one expected there */
        RuntimeException wrongVersion(int index, T item, long expected);
    }

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
     * Checks the rule of every batch: no null item, every item of the one aggregate, versions consecutive (and the
     * first one {@code firstVersion}, when that is positive). Items are checked in order, so the first break found
     * is the one thrown; {@code alsoCheck} runs on each item that passed.
     *
     * @param firstVersion the version the first item must have, or 0 when any first version will do (a store
     *     decides a wrong one by a concurrency conflict)
     * @param breaks the exception to throw for each break
     * @param alsoCheck further checks of an item and its index, or {@code null}
     */
    public static <T> void requireOneStream(String aggregateId, List<? extends T> items, long firstVersion,
                                            Function<? super T, String> aggregateIdOf,
                                            ToLongFunction<? super T> versionOf, Breaks<? super T> breaks,
                                            ObjIntConsumer<? super T> alsoCheck) {
        long expected = firstVersion;
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            if (item == null) {
                throw breaks.nullItem(i);
            }
            if (!aggregateId.equals(aggregateIdOf.apply(item))) {
                throw breaks.otherAggregate(i, item);
            }
            long version = versionOf.applyAsLong(item);
            if ((i > 0 || expected > 0) && version != expected) {
                throw breaks.wrongVersion(i, item, expected);
            }
            expected = version + 1;
            if (alsoCheck != null) {
                alsoCheck.accept(item, i);
            }
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
    public static void validate(String aggregateId, List<Record> records, PayloadFormat format) {
        requireAggregateId(aggregateId);
        if (records == null) {
            throw new IllegalArgumentException("Records of aggregate '" + aggregateId + "' must not be null");
        }
        requireOneStream(aggregateId, records, 0, Record::aggregateId, Record::version, new Breaks<Record>() {
            @Override
            public RuntimeException nullItem(int index) {
                return new IllegalArgumentException("Record at index " + index + " of aggregate '" + aggregateId
                        + "' is null; nothing was stored");
            }

            @Override
            public RuntimeException otherAggregate(int index, Record record) {
                return new IllegalArgumentException("Record at index " + index + " belongs to aggregate '"
                        + record.aggregateId() + "', not '" + aggregateId + "'; nothing was stored");
            }

            @Override
            public RuntimeException wrongVersion(int index, Record record, long expected) {
                return new IllegalArgumentException("Records of aggregate '" + aggregateId
                        + "' must have consecutive versions, but version " + (expected - 1)
                        + " is followed by " + record.version() + "; nothing was stored");
            }
        }, (record, i) -> {
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
        });
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
