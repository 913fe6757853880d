package dev.eventsource;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A serialized event, as a store keeps it: the seed's {@code Record{Data, Version}} plus the columns a store
 * needs to index and show it.
 *
 * @param aggregateType the type of the aggregate whose stream the event belongs to ({@link Aggregate#typeName});
 *     null only before a repository (or the caller of {@link Store#save}) gives it one: stores refuse records
 *     without it
 * @param aggregateId the aggregate the event belongs to
 * @param version the aggregate's version after the event, from 1
 * @param type the event's stable type name
 * @param revision the revision of the event's shape the payload was written in ({@link Event#revision(Class)}), from
 *     1; a serializer reading an older revision upcasts the payload before binding it to today's class
 * @param at when the event happened
 * @param data the serialized event; see {@link Serializer#format()}
 * @param metadata free-form context stored beside the event (who made the change, a correlation id)
 * @param commandId the id of the command that produced the event ({@link Command#commandId()}), or null
 * @param position the event's place in the global stream, assigned by the store; 0 until stored
 */
public record Record(@Nullable String aggregateType, String aggregateId, long version, String type, int revision,
                     Instant at, byte[] data, Map<String, String> metadata, @Nullable String commandId, long position) {

    /**
     * Validates and copies the record's parts.
     *
     * @throws IllegalArgumentException when a part is missing or out of range
     */
    public Record {
        if (aggregateId == null || aggregateId.isBlank()) {
            throw new IllegalArgumentException("Record needs a non-blank aggregateId, got " + quote(aggregateId));
        }
        if (aggregateType != null && aggregateType.isBlank()) {
            throw new IllegalArgumentException("Record of aggregate '" + aggregateId
                    + "' has a blank aggregate type; give it the aggregate's type name, or null before it has one");
        }
        if (version < 1) {
            throw new IllegalArgumentException("Record of aggregate '" + aggregateId
                    + "' has version " + version + "; versions start at 1");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("Record " + aggregateId + "@" + version + " needs a non-blank type");
        }
        if (revision < 1) {
            throw new IllegalArgumentException("Record " + aggregateId + "@" + version + " has revision " + revision
                    + "; revisions start at 1");
        }
        if (at == null) {
            throw new IllegalArgumentException("Record " + aggregateId + "@" + version + " needs a time (at)");
        }
        if (data == null) {
            throw new IllegalArgumentException("Record " + aggregateId + "@" + version + " has no data (null payload)");
        }
        if (commandId != null && commandId.isBlank()) {
            throw new IllegalArgumentException("Record " + aggregateId + "@" + version
                    + " has a blank command id; use null for a command without an id");
        }
        if (position < 0) {
            throw new IllegalArgumentException("Record " + aggregateId + "@" + version + " has negative position " + position);
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /**
     * Creates a record not yet stored and not yet given its aggregate type, without metadata, in revision 1.
     *
     * @return a record with no aggregate type, revision 1, no command id, position 0 and empty metadata
     */
    public static Record of(String aggregateId, long version, String type, Instant at, byte[] data) {
        return new Record(null, aggregateId, version, type, 1, at, data, Map.of(), null, 0);
    }

    /**
     * Creates a record not yet stored and not yet given its aggregate type, without metadata: what a
     * {@link Serializer} returns.
     *
     * @return a record with no aggregate type, no command id, position 0 and empty metadata
     */
    public static Record of(String aggregateId, long version, String type, int revision, Instant at, byte[] data) {
        return new Record(null, aggregateId, version, type, revision, at, data, Map.of(), null, 0);
    }

    /**
     * Creates a record not yet stored, in the stream of the given aggregate type, without metadata.
     *
     * @return a record in revision 1 with no command id, position 0 and empty metadata
     */
    public static Record of(String aggregateType, String aggregateId, long version, String type, Instant at,
                            byte[] data) {
        return new Record(aggregateType, aggregateId, version, type, 1, at, data, Map.of(), null, 0);
    }

    /** @return a copy of this record in the stream of the given aggregate type */
    public Record withAggregateType(String aggregateType) {
        return new Record(aggregateType, aggregateId, version, type, revision, at, data, metadata, commandId, position);
    }

    /** @return a copy of this record with the given metadata */
    public Record withMetadata(Map<String, String> metadata) {
        return new Record(aggregateType, aggregateId, version, type, revision, at, data, metadata, commandId, position);
    }

    /** @return a copy of this record produced by the command with the given id (null: none) */
    public Record withCommandId(@Nullable String commandId) {
        return new Record(aggregateType, aggregateId, version, type, revision, at, data, metadata, commandId, position);
    }

    /** @return a copy of this record in the given revision of its event's shape */
    public Record withRevision(int revision) {
        return new Record(aggregateType, aggregateId, version, type, revision, at, data, metadata, commandId, position);
    }

    /** @return a copy of this record with the given global position */
    public Record withPosition(long position) {
        return new Record(aggregateType, aggregateId, version, type, revision, at, data, metadata, commandId, position);
    }

    /**
     * Compares content, not the identity of the data array.
     *
     * @return whether every component, including the bytes of {@code data}, is equal
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Record that
                && version == that.version
                && revision == that.revision
                && position == that.position
                && Objects.equals(aggregateType, that.aggregateType)
                && aggregateId.equals(that.aggregateId)
                && type.equals(that.type)
                && at.equals(that.at)
                && Arrays.equals(data, that.data)
                && metadata.equals(that.metadata)
                && Objects.equals(commandId, that.commandId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(aggregateType, aggregateId, version, type, revision, at, Arrays.hashCode(data), metadata,
                commandId, position);
    }

    @Override
    public String toString() {
        return "Record[" + (aggregateType == null ? "" : aggregateType + " ") + aggregateId + "@" + version + " "
                + type + (revision == 1 ? "" : " revision " + revision) + " at " + at + ", " + data.length
                + " bytes, metadata " + metadata
                + (commandId == null ? "" : ", command " + commandId) + ", position " + position + "]";
    }

    private static String quote(@Nullable String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
