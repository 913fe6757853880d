package dev.eventsource.kafka;

import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns stored records into Kafka messages and back, in the binary mode of the CloudEvents Kafka protocol binding:
 * the record's payload bytes unchanged as the message value, the aggregate id as the key, and the attributes as
 * headers.
 *
 * <table>
 * <caption>Headers</caption>
 * <tr><th>header</th><th>value</th></tr>
 * <tr><td>{@code ce_specversion}</td><td>{@code 1.0}</td></tr>
 * <tr><td>{@code ce_id}</td><td>{@code <source>:<position>}, unique per event and the same when a message is sent
 * again</td></tr>
 * <tr><td>{@code ce_source}</td><td>the publishing service ({@code eventsource.kafka.source})</td></tr>
 * <tr><td>{@code ce_type}</td><td>the stored event type name</td></tr>
 * <tr><td>{@code ce_subject}</td><td>the aggregate id (also the key)</td></tr>
 * <tr><td>{@code ce_time}</td><td>when the event happened, RFC 3339</td></tr>
 * <tr><td>{@code ce_aggregatetype}, {@code ce_version}, {@code ce_position}, {@code ce_revision}</td><td>extension
 * attributes: the aggregate type, the aggregate's version after the event, the global position, the revision of the
 * payload's shape</td></tr>
 * <tr><td>{@code ce_commandid}</td><td>the id of the command that produced the event, when it has one</td></tr>
 * <tr><td>{@code es_metadata_<key>}</td><td>each metadata entry; characters of the key other than letters, digits,
 * {@code . _ -} are percent-encoded (UTF-8)</td></tr>
 * <tr><td>{@code content-type}</td><td>{@code application/json} or {@code application/cbor}, from the stored
 * payload's format</td></tr>
 * </table>
 * Header values are UTF-8 text.
 */
public final class EventMessages {

    /** The CloudEvents version of the messages. */
    public static final String SPEC_VERSION = "1.0";
    /** Header of the CloudEvents version. */
    public static final String SPECVERSION_HEADER = "ce_specversion";
    /** Header of the event's id. */
    public static final String ID_HEADER = "ce_id";
    /** Header of the publishing service. */
    public static final String SOURCE_HEADER = "ce_source";
    /** Header of the event type. */
    public static final String TYPE_HEADER = "ce_type";
    /** Header of the aggregate id. */
    public static final String SUBJECT_HEADER = "ce_subject";
    /** Header of the event's time. */
    public static final String TIME_HEADER = "ce_time";
    /** Header of the aggregate type (extension). */
    public static final String AGGREGATE_TYPE_HEADER = "ce_aggregatetype";
    /** Header of the aggregate's version after the event (extension). */
    public static final String VERSION_HEADER = "ce_version";
    /** Header of the event's global position in the publishing store (extension). */
    public static final String POSITION_HEADER = "ce_position";
    /** Header of the payload's revision (extension). */
    public static final String REVISION_HEADER = "ce_revision";
    /** Header of the producing command's id (extension), present only when the event has one. */
    public static final String COMMAND_ID_HEADER = "ce_commandid";
    /** Header of the payload's media type. */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    /** Prefix of the headers of metadata entries. */
    public static final String METADATA_PREFIX = "es_metadata_";

    private static final byte[] SPEC_VERSION_BYTES = SPEC_VERSION.getBytes(StandardCharsets.UTF_8);

    private final String source;
    private final byte[] sourceBytes;
    private final String idPrefix;
    private final byte[] contentType;

    private EventMessages(String source, PayloadFormat format) {
        this.source = source;
        this.sourceBytes = utf8(source);
        this.idPrefix = source + ":";
        this.contentType = utf8(contentType(format));
    }

    /**
     * Creates the messages of one publishing service.
     *
     * @param source the {@code ce_source} of every message: 1 to 255 printable characters without spaces, for
     *     example the application's name
     * @param format the format of the stored payloads, which sets the content type
     * @return the messages
     * @throws IllegalArgumentException when the source is blank, too long or has spaces or control characters
     */
    public static EventMessages of(String source, PayloadFormat format) {
        if (source == null || source.isEmpty() || source.length() > 255
                || source.chars().anyMatch((c) -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("Invalid CloudEvents source " + (source == null ? "null"
                    : "'" + source + "'") + ": use 1 to 255 characters without spaces or control characters, such"
                    + " as the application's name (eventsource.kafka.source, by default spring.application.name)");
        }
        return new EventMessages(source, Objects.requireNonNull(format, "format"));
    }

    /** @return the media type of payloads of a format: {@code application/json} or {@code application/cbor} */
    public static String contentType(PayloadFormat format) {
        return format == PayloadFormat.JSON ? "application/json" : "application/cbor";
    }

    /** @return the {@code ce_source} of the messages */
    public String source() {
        return source;
    }

    /**
     * Builds the message of a stored record.
     *
     * @param topic the topic to send it to
     * @param record the stored record (with its aggregate type and position)
     * @return the message: key the aggregate id, value the payload bytes as stored
     */
    public ProducerRecord<String, byte[]> toMessage(String topic, Record record) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(SPECVERSION_HEADER, SPEC_VERSION_BYTES));
        headers.add(new RecordHeader(ID_HEADER, utf8(idPrefix + record.position())));
        headers.add(new RecordHeader(SOURCE_HEADER, sourceBytes));
        headers.add(new RecordHeader(TYPE_HEADER, utf8(record.type())));
        headers.add(new RecordHeader(SUBJECT_HEADER, utf8(record.aggregateId())));
        headers.add(new RecordHeader(TIME_HEADER, utf8(record.at().toString())));
        if (record.aggregateType() != null) {
            headers.add(new RecordHeader(AGGREGATE_TYPE_HEADER, utf8(record.aggregateType())));
        }
        headers.add(new RecordHeader(VERSION_HEADER, utf8(Long.toString(record.version()))));
        headers.add(new RecordHeader(POSITION_HEADER, utf8(Long.toString(record.position()))));
        headers.add(new RecordHeader(REVISION_HEADER, utf8(Integer.toString(record.revision()))));
        if (record.commandId() != null) {
            headers.add(new RecordHeader(COMMAND_ID_HEADER, utf8(record.commandId())));
        }
        for (Map.Entry<String, String> entry : record.metadata().entrySet()) {
            headers.add(new RecordHeader(METADATA_PREFIX + encodeKey(entry.getKey()), utf8(entry.getValue())));
        }
        headers.add(new RecordHeader(CONTENT_TYPE_HEADER, contentType));
        return new ProducerRecord<>(topic, null, record.aggregateId(), record.data(), headers);
    }

    /**
     * Reads a message back into the record it was built from (by any publishing service).
     *
     * @param message a message received from a topic
     * @return the record, with its aggregate type, id, version, type, revision, time, payload, metadata, command id
     *     and position in the publishing store
     * @throws InvalidEventMessageException naming the topic, partition, offset and the problem, when a header is
     *     missing or unreadable or the message has no value
     */
    public static Record parse(ConsumerRecord<?, byte[]> message) {
        Headers headers = message.headers();
        String specVersion = header(message, headers, SPECVERSION_HEADER, true);
        if (!SPEC_VERSION.equals(specVersion)) {
            throw invalid(message, "CloudEvents version '" + specVersion + "' is not " + SPEC_VERSION);
        }
        String type = header(message, headers, TYPE_HEADER, true);
        String aggregateId = header(message, headers, SUBJECT_HEADER, true);
        String aggregateType = header(message, headers, AGGREGATE_TYPE_HEADER, false);
        long version = number(message, headers, VERSION_HEADER);
        long position = number(message, headers, POSITION_HEADER);
        long revision = number(message, headers, REVISION_HEADER);
        String time = header(message, headers, TIME_HEADER, true);
        Instant at;
        try {
            at = Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw invalid(message, "header " + TIME_HEADER + " '" + time + "' is not an RFC 3339 time");
        }
        String commandId = header(message, headers, COMMAND_ID_HEADER, false);
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Header header : headers) {
            if (header.key().startsWith(METADATA_PREFIX)) {
                String key = decodeKey(message, header.key().substring(METADATA_PREFIX.length()));
                metadata.put(key, header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        byte[] data = message.value();
        if (data == null) {
            throw invalid(message, "it has no value (a tombstone?), so no event payload");
        }
        if (revision < 1 || revision > Integer.MAX_VALUE || version < 1) {
            throw invalid(message, "version " + version + " or revision " + revision + " is out of range");
        }
        try {
            return new Record(aggregateType, aggregateId, version, type, (int) revision, at, data, metadata,
                    commandId, position);
        } catch (IllegalArgumentException e) {
            throw invalid(message, e.getMessage());
        }
    }

    private static @Nullable String header(ConsumerRecord<?, byte[]> message, Headers headers, String name,
            boolean required) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            if (required) {
                throw invalid(message, "header " + name + " is missing");
            }
            return null;
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long number(ConsumerRecord<?, byte[]> message, Headers headers, String name) {
        String value = header(message, headers, name, true);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(message, "header " + name + " '" + value + "' is not a number");
        }
    }

    private static InvalidEventMessageException invalid(ConsumerRecord<?, ?> message, String problem) {
        return new InvalidEventMessageException(message.topic(), message.partition(), message.offset(),
                "Message at " + message.topic() + "-" + message.partition() + "@" + message.offset()
                        + " is not an event published by eventsource: " + problem
                        + "; it was not applied (dead-letter it, or fix the producer)");
    }

    /** Letters, digits, '.', '_' and '-' are kept; every other character's UTF-8 bytes become %XX. */
    static String encodeKey(String key) {
        StringBuilder out = null;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            if (plain) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(key.length() + 8).append(key, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < key.length() ? i + 2 : i + 1;
            for (byte b : key.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
            i = end - 1;
        }
        return out == null ? key : out.toString();
    }

    private static String decodeKey(ConsumerRecord<?, byte[]> message, String encoded) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int lo = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw invalid(message, "metadata header key '" + encoded + "' has a bad %-escape");
                }
                bytes.write((hi << 4) | lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
