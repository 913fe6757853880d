package dev.eventsource;

/**
 * The form of a serialized event's bytes, which tells a store how to keep them (a {@code jsonb} column for JSON
 * on PostgreSQL, a binary column otherwise).
 */
public enum PayloadFormat {

    /** UTF-8 JSON text. */
    JSON,

    /** A binary format (CBOR). */
    BINARY
}
