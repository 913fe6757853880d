package dev.eventsource;

/**
 * What an event may hold, the same on every store. The repository ({@link Repository#apply},
 * {@link Repository#save}) and every store's {@link Store#save} refuse anything else with an
 * {@link UnstorableEventException} (an {@link InvalidEventException}) before the store is touched, so nothing of the
 * batch is stored and the outcome does not depend on the database.
 *
 * <p><b>Refused characters.</b> No string may contain a NUL character (U+0000) or a lone surrogate (a UTF-16
 * high surrogate not followed by a low one, or a low one not preceded by a high one): not the aggregate id, not
 * the event type name, not a metadata key or value, and not any string of a JSON payload, property names
 * included. PostgreSQL cannot keep a NUL in text or {@code jsonb}; a lone surrogate is not Unicode, so it cannot be
 * written as UTF-8, and the databases either refuse it or silently store a {@code ?} instead. Valid surrogate
 * pairs (emoji and other characters beyond U+FFFF) are fine. A JSON payload is checked on its bytes: a
 * {@code \u0000} escape, an escaped lone surrogate such as {@code \uD800}, or the UTF-8 bytes of a surrogate are
 * refused, and the message names the field by its JSON path (for example {@code $.address.lines[2]}). Binary
 * payloads are not inspected by the stores; the Jackson CBOR writer itself refuses lone surrogates (a
 * {@link SerializationException} naming the field).
 *
 * <p><b>Sizes.</b> The limits come from the smallest of the supported databases' real limits: MariaDB's and
 * MySQL's {@code max_allowed_packet} (16 MiB by default on MariaDB) bounds a whole {@code INSERT}, and the driver
 * may double the size of a string or binary value while escaping it; one append of the JDBC store is one
 * statement. PostgreSQL's {@code jsonb} (about 255 MiB per value) and H2's {@code JSON} (about 1 GB) are far
 * larger. Sizes of payloads count bytes, lengths of strings count Java {@code char}s (UTF-16 units, as
 * {@link String#length()} does: the strictest of the databases' counts, H2's, so what fits one database fits all).
 */
public final class EventLimits {

    /** The longest aggregate id, and the longest event type name, in characters. */
    public static final int MAX_ID_LENGTH = 255;

    /** The largest serialized payload of one event, in bytes (1 MiB). */
    public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

    /**
     * The most one append (one {@link Store#save} call, the events of one command) may carry, in bytes: the
     * payloads plus the UTF-8 bytes of the metadata keys and values (4 MiB; escaped, at most 8 MiB, which keeps the
     * statement below MariaDB's default {@code max_allowed_packet} of 16 MiB).
     */
    public static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;

    /** The longest metadata key, in characters. */
    public static final int MAX_METADATA_KEY_LENGTH = 255;

    /**
     * The longest metadata value, in characters: room for context such as a user, a correlation id or a W3C
     * {@code baggage} header (at most 8,192 bytes), not for data, which belongs in the event.
     */
    public static final int MAX_METADATA_VALUE_LENGTH = 8192;

    private EventLimits() {
    }
}
