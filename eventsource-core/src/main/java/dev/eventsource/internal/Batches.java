package dev.eventsource.internal;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.Event;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.function.BiFunction;
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
     * What a batch holds, for {@link #requireOneStream}: {@link #EVENTS} (the repository's) or {@link #RECORDS} (a
     * store's).
     *
     * @param noun how messages name an item
     * @param <T> the item type
     */
    public record Items<T>(String noun, Function<T, String> aggregateIdOf, ToLongFunction<T> versionOf,
                           Function<T, @Nullable String> typeOf) {

        /** @return how a message names an item: the noun and, when known, its type */
        String describe(T item) {
            String type = typeOf.apply(item);
            return type == null ? noun : noun + " " + type;
        }
    }

    /** The events of a command or of {@code Repository.save}. */
    public static final Items<Event> EVENTS = new Items<>("Event", Event::aggregateId, Event::version, Event::type);

    /** The records of a {@link dev.eventsource.Store#save}. */
    public static final Items<Record> RECORDS = new Items<>("Record", Record::aggregateId, Record::version,
            Record::type);

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
     * Checks the rule of every batch, of events or of records: no null item, every item of the one aggregate,
     * versions consecutive (and the first one {@code firstVersion}, when that is positive). Items are checked in
     * order, so the first break found is the one thrown, in the same words for events and records;
     * {@code alsoCheck} runs on each item that passed.
     *
     * @param firstVersion the version the first item must have, or 0 when any first version will do (a store
     *     decides a wrong one by a concurrency conflict)
     * @param versionHint appended to the message of a wrong version (empty, or starting with {@code "; "})
     * @param exception the exception for a message and the item (null for a null item): the repository's is an
     *     {@link dev.eventsource.InvalidEventException}, a store's an {@link IllegalArgumentException}
     * @param alsoCheck further checks of an item and its index
     */
    public static <T> void requireOneStream(
            Items<T> kind, String aggregateId, List<? extends @Nullable T> items, long firstVersion,
            String versionHint, BiFunction<String, ? super @Nullable T, ? extends RuntimeException> exception,
            ObjIntConsumer<? super T> alsoCheck) {
        long expected = firstVersion;
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            if (item == null) {
                throw exception.apply(kind.noun() + " at index " + i + " of aggregate '" + aggregateId
                        + "' is null; nothing was stored", null);
            }
            String owner = kind.aggregateIdOf().apply(item);
            if (!aggregateId.equals(owner)) {
                throw exception.apply(kind.describe(item) + " at index " + i + " belongs to aggregate '" + owner
                        + "', not to '" + aggregateId + "'; nothing was stored", item);
            }
            long version = kind.versionOf().applyAsLong(item);
            if ((i > 0 || expected > 0) && version != expected) {
                throw exception.apply(kind.describe(item) + " at index " + i + " of aggregate '" + aggregateId
                        + "' has version " + version + ", expected " + expected
                        + " (the versions of a batch are consecutive" + versionHint + "); nothing was stored", item);
            }
            expected = version + 1;
            alsoCheck.accept(item, i);
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
        requireOneStream(RECORDS, aggregateId, records, 0, "",
                (message, record) -> new IllegalArgumentException(message),
                (record, i) -> requireOneType(aggregateId, records, record, i));
        if (!records.isEmpty()) {
            RecordValidator.check(aggregateId, records, format);
        }
    }

    /** Checks that a record of a batch names the batch's one aggregate type. */
    private static void requireOneType(String aggregateId, List<Record> records, Record record, int i) {
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
