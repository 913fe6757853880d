package dev.eventsource;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A serialized event, as a store keeps it: the seed's {@code Record{Data, Version}} plus the columns a store
 * needs to index and show it.
 *
 * @param aggregateId the aggregate the event belongs to
 * @param version the aggregate's version after the event, from 1
 * @param type the event's stable type name
 * @param at when the event happened
 * @param data the serialized event; see {@link Serializer#format()}
 * @param metadata free-form context stored beside the event (who made the change, a correlation id)
 * @param position the event's place in the global stream, assigned by the store; 0 until stored
 */
public record Record(String aggregateId, long version, String type, Instant at, byte[] data,
                     Map<String, String> metadata, long position) {

    /**
     * Validates and copies the record's parts.
     *
     * @throws IllegalArgumentException when a part is missing or out of range
     */
    public Record {
        if (aggregateId == null || aggregateId.isBlank()) {
            throw new IllegalArgumentException("Record needs a non-blank aggregateId, got " + quote(aggregateId));
        }
        if (version < 1) {
            throw new IllegalArgumentException("Record of aggregate '" + aggregateId
                    + "' has version " + version + "; versions start at 1");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("Record " + aggregateId + "@" + version + " needs a non-blank type");
        }
        if (at == null) {
            throw new IllegalArgumentException("Record " + aggregateId + "@" + version + " needs a time (at)");
        }
        if (data == null) {
            throw new IllegalArgumentException("Record " + aggregateId + "@" + version + " has no data (null payload)");
        }
        if (position < 0) {
            throw new IllegalArgumentException("Record " + aggregateId + "@" + version + " has negative position " + position);
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /**
     * Creates a record not yet stored, without metadata.
     *
     * @return a record with position 0 and empty metadata
     */
    public static Record of(String aggregateId, long version, String type, Instant at, byte[] data) {
        return new Record(aggregateId, version, type, at, data, Map.of(), 0);
    }

    /** @return a copy of this record with the given metadata */
    public Record withMetadata(Map<String, String> metadata) {
        return new Record(aggregateId, version, type, at, data, metadata, position);
    }

    /** @return a copy of this record with the given global position */
    public Record withPosition(long position) {
        return new Record(aggregateId, version, type, at, data, metadata, position);
    }

    /**
     * Compares content, not the identity of the data array.
     *
     * @return whether every component, including the bytes of {@code data}, is equal
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Record that
                && version == that.version
                && position == that.position
                && aggregateId.equals(that.aggregateId)
                && type.equals(that.type)
                && at.equals(that.at)
                && Arrays.equals(data, that.data)
                && metadata.equals(that.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(aggregateId, version, type, at, Arrays.hashCode(data), metadata, position);
    }

    @Override
    public String toString() {
        return "Record[" + aggregateId + "@" + version + " " + type + " at " + at + ", " + data.length
                + " bytes, metadata " + metadata + ", position " + position + "]";
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
