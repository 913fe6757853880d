package dev.eventsource.internal;

import dev.eventsource.EventLimits;
import dev.eventsource.InvalidEventException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.UnstorableEventException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The one place of the rules in {@link EventLimits}: what a record may hold so that every store keeps it, checked
 * before any store is touched. The repository calls it knowing the payload format; every store calls it through
 * {@link Batches#validate} with the format it knows, or none.
 *
 * <p>It runs on every append, so the common case costs one pass over each string and payload: a JSON payload is
 * scanned as bytes for the escapes and byte patterns of refused characters, and only when one is found is the
 * payload parsed to name the field.
 */
public final class RecordValidator {

    /** Parses a suspect payload to find the field's path; never used on the hot path. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RecordValidator() {
    }

    /**
     * Checks that an aggregate id can be stored: at most {@value EventLimits#MAX_ID_LENGTH} characters, no NUL, no
     * lone surrogate.
     *
     * @param aggregateId a non-blank id
     * @throws UnstorableEventException naming the problem and its index
     */
    public static void checkAggregateId(String aggregateId) {
        String problem = textProblem(aggregateId, EventLimits.MAX_ID_LENGTH);
        if (problem != null) {
            throw new UnstorableEventException("Aggregate id " + show(aggregateId) + " cannot be stored: it "
                    + problem + ". Nothing was stored", aggregateId, null, 0, null);
        }
    }

    /**
     * Checks that an id to look up holds no NUL and no lone surrogate, which no stored id can hold.
     *
     * @throws IllegalArgumentException naming the character and its index
     */
    public static void requireNoInvalidChars(String aggregateId) {
        int at = invalidCharIndex(aggregateId);
        if (at >= 0) {
            throw new IllegalArgumentException("Aggregate id " + show(aggregateId) + " cannot name a stored aggregate:"
                    + " it contains " + describeChar(aggregateId, at));
        }
    }

    /**
     * Says what keeps a text (an id or a name) from being stored in a column of at most {@code maxLength}
     * characters: its length, a NUL character or a lone surrogate.
     *
     * @return the problem, as "has 300 characters; at most 255 are kept" or "contains a NUL character ...", or null
     *     when the text can be stored
     */
    public static @Nullable String unstorableText(String text, int maxLength) {
        return textProblem(text, maxLength);
    }

    /**
     * Checks a batch of records against every rule of {@link EventLimits}: the aggregate id, each type name, each
     * metadata key and value, each payload's size, the batch's size, and, for JSON payloads, every string of the
     * payload.
     *
     * @param aggregateId the batch's aggregate
     * @param records records of that aggregate, none null
     * @param format the payloads' format, or {@code null} when unknown (the payloads are then only measured)
     * @throws UnstorableEventException naming the aggregate, the event type and version, and the field
     */
    public static void check(String aggregateId, List<Record> records, @Nullable PayloadFormat format) {
        checkAggregateId(aggregateId);
        long batchBytes = 0;
        for (Record record : records) {
            String typeProblem = textProblem(record.type(), EventLimits.MAX_ID_LENGTH);
            if (typeProblem != null) {
                throw refused(record, "its type name " + typeProblem
                        + (record.type().length() > EventLimits.MAX_ID_LENGTH ? " (give the event a shorter"
                        + " @EventType name)" : ""));
            }
            String streamProblem = record.aggregateType() == null ? null
                    : textProblem(record.aggregateType(), EventLimits.MAX_ID_LENGTH);
            if (streamProblem != null) {
                throw refused(record, "its aggregate type name " + streamProblem
                        + (record.aggregateType().length() > EventLimits.MAX_ID_LENGTH ? " (give the aggregate a"
                        + " shorter @AggregateType name)" : ""));
            }
            String commandProblem = record.commandId() == null ? null
                    : textProblem(record.commandId(), EventLimits.MAX_ID_LENGTH);
            if (commandProblem != null) {
                throw refused(record, "its command id " + commandProblem);
            }
            byte[] data = record.data();
            if (data.length > EventLimits.MAX_PAYLOAD_BYTES) {
                throw refused(record, "its payload has " + data.length + " bytes; every store keeps at most "
                        + EventLimits.MAX_PAYLOAD_BYTES + " (EventLimits.MAX_PAYLOAD_BYTES); keep large data"
                        + " elsewhere and put a reference to it in the event");
            }
            batchBytes += data.length;
            for (Map.Entry<String, String> entry : record.metadata().entrySet()) {
                checkMetadata(record, entry.getKey(), entry.getValue());
                // At most 3 UTF-8 bytes per char: an upper bound, made exact below only when it is over the limit.
                batchBytes += 3L * (entry.getKey().length() + entry.getValue().length());
            }
            if (format == PayloadFormat.JSON) {
                int suspect = findSuspectJson(data);
                if (suspect >= 0) {
                    Finding finding = findJsonProblem(data, suspect);
                    throw refused(record, finding.problem, finding.path);
                }
            }
        }
        if (batchBytes > EventLimits.MAX_BATCH_BYTES && (batchBytes = exactBatchBytes(records))
                > EventLimits.MAX_BATCH_BYTES) {
            Record first = records.get(0);
            throw new UnstorableEventException("The " + records.size() + " events (versions " + first.version()
                    + " to " + records.get(records.size() - 1).version() + ") of aggregate " + show(aggregateId)
                    + " carry " + batchBytes + " bytes of payload and metadata; one append carries at most "
                    + EventLimits.MAX_BATCH_BYTES + " (EventLimits.MAX_BATCH_BYTES); produce fewer or smaller"
                    + " events per command. Nothing was stored", aggregateId, first.type(), first.version(), null);
        }
    }

    private static long exactBatchBytes(List<Record> records) {
        long bytes = 0;
        for (Record record : records) {
            bytes += record.data().length;
            for (Map.Entry<String, String> entry : record.metadata().entrySet()) {
                bytes += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
            }
        }
        return bytes;
    }

    private static void checkMetadata(Record record, String key, String value) {
        String keyProblem = textProblem(key, EventLimits.MAX_METADATA_KEY_LENGTH);
        if (keyProblem != null) {
            throw refused(record, "its metadata key " + show(key) + " " + keyProblem);
        }
        String valueProblem = textProblem(value, EventLimits.MAX_METADATA_VALUE_LENGTH);
        if (valueProblem != null) {
            throw refused(record, "its metadata value of key " + show(key) + " " + valueProblem
                    + (value.length() > EventLimits.MAX_METADATA_VALUE_LENGTH
                    ? " (metadata is for context such as a user or a correlation id; data belongs in the event)"
                    : ""));
        }
    }

    private static InvalidEventException refused(Record record, String problem) {
        return refused(record, problem, null);
    }

    private static InvalidEventException refused(Record record, String problem, @Nullable String fieldPath) {
        return new UnstorableEventException("Event " + show(record.type()) + " version " + record.version()
                + " of aggregate " + show(record.aggregateId()) + " cannot be stored: " + problem
                + ". Nothing was stored", record.aggregateId(), record.type(), record.version(), fieldPath);
    }

    // ---- strings ----------------------------------------------------------------------------------------------

    /**
     * Finds the first NUL or lone surrogate of a string.
     *
     * @return its index, or -1 when the string has none
     */
    static int invalidCharIndex(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** @return what makes the text unstorable ("contains ...", "has ... characters"), or null when nothing */
    private static @Nullable String textProblem(String s, int maxLength) {
        if (s.length() > maxLength) {
            return "has " + s.length() + " characters; at most " + maxLength + " are kept";
        }
        int at = invalidCharIndex(s);
        return at < 0 ? null : "contains " + describeChar(s, at) + "; remove or replace it";
    }

    /** @return "a NUL character (U+0000) at index 3, which PostgreSQL cannot store" and the like */
    private static String describeChar(String s, int at) {
        char c = s.charAt(at);
        if (c == 0) {
            return "a NUL character (U+0000) at index " + at + ", which PostgreSQL cannot store";
        }
        return "a lone surrogate (" + hex(c) + (Character.isHighSurrogate(c) ? " not followed by a low surrogate"
                : " not preceded by a high surrogate") + ") at index " + at + ", which is not Unicode text and"
                + " cannot be written as UTF-8";
    }

    private static long utf8Length(String s) {
        long bytes = s.length();
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // 2 bytes below U+0800, else 3; a surrogate pair (4 bytes) is two chars of 2 each
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    // ---- JSON payloads ----------------------------------------------------------------------------------------

    /**
     * Scans JSON bytes for a NUL or a lone surrogate without parsing: a {@code \u0000} escape, a {@code \uD800} to
     * {@code \uDFFF} escape not part of an escaped pair, a raw NUL byte, or the UTF-8 bytes of a surrogate
     * ({@code ED A0..BF}, never valid UTF-8). An escaped backslash ({@code \\}) is skipped with its escape, so the
     * text {@code \\u0000} (a backslash followed by "u0000") is not mistaken for a NUL.
     *
     * @return the byte offset of the first suspect, or -1 when there is none
     */
    static int findSuspectJson(byte[] data) {
        int n = data.length;
        for (int i = 0; i < n; i++) {
            byte b = data[i];
            if (b == '\\') {
                if (i + 5 < n && data[i + 1] == 'u') {
                    int c = hex4(data, i + 2);
                    if (c == 0) {
                        return i;
                    }
                    if (c >= 0xD800 && c <= 0xDFFF) {
                        if (c <= 0xDBFF && i + 11 < n && data[i + 6] == '\\' && data[i + 7] == 'u') {
                            int low = hex4(data, i + 8);
                            if (low >= 0xDC00 && low <= 0xDFFF) {
                                i += 11;
                                continue;
                            }
                        }
                        return i;
                    }
                    i += 5;
                } else {
                    i++;
                }
            } else if (b == 0 || (b == (byte) 0xED && i + 1 < n && (data[i + 1] & 0xE0) == 0xA0)) {
                return i;
            }
        }
        return -1;
    }

    /** @return the value of four hex digits at {@code from}, or -1 when they are not hex digits */
    private static int hex4(byte[] data, int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(data[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /**
     * Walks a suspect JSON payload to name the offending string by its path. Slow, and only called when the scan
     * found something.
     */
    static Finding findJsonProblem(byte[] data, int suspectOffset) {
        JsonParser parser = null;
        try {
            parser = JSON.createParser(data);
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    int at = invalidCharIndex(name);
                    if (at >= 0) {
                        String path = path(parser.streamReadContext(), false);
                        return new Finding(path, "the property name " + show(name) + " in " + path + " contains "
                                + describeChar(name, at) + "; remove or replace it");
                    }
                } else if (token == JsonToken.VALUE_STRING) {
                    String value = parser.getString();
                    int at = invalidCharIndex(value);
                    if (at >= 0) {
                        String path = path(parser.streamReadContext(), true);
                        return new Finding(path, "the string at " + path + " contains " + describeChar(value, at)
                                + "; remove or replace it");
                    }
                }
            }
        } catch (JacksonException e) {
            // Jackson refuses a lone surrogate in a property name, and raw NUL bytes; its context still says where:
            // a string value is decoded lazily, when its token is current, a name eagerly, before it becomes current.
            String path;
            String where;
            if (parser == null) {
                path = "$";
                where = "a string in ";
            } else if (parser.currentToken() == JsonToken.VALUE_STRING) {
                path = path(parser.streamReadContext(), true);
                where = "the string at ";
            } else {
                path = path(parser.streamReadContext(), false);
                where = parser.streamReadContext().inObject() ? "a property name in " : "a string in ";
            }
            return new Finding(path, where + path + " contains " + describeSuspect(data, suspectOffset) + " (byte "
                    + suspectOffset + " of the payload); remove or replace it");
        } finally {
            if (parser != null) {
                parser.close();
            }
        }
        return new Finding(null, "its JSON payload has a NUL character or a lone surrogate near byte "
                + suspectOffset);
    }

    /** Where a refused string of a JSON payload is, and what is wrong with it. */
    record Finding(@Nullable String path, String problem) {
    }

    /** @return what the scan found at an offset, for a message */
    private static String describeSuspect(byte[] data, int offset) {
        if (data[offset] == 0) {
            return "a NUL byte, which is not JSON";
        }
        if (data[offset] != '\\') {
            return "the UTF-8 bytes of a surrogate, which are not UTF-8";
        }
        int c = hex4(data, offset + 2);
        return c == 0 ? "a NUL character (U+0000), which PostgreSQL cannot store"
                : "a lone surrogate (" + hex((char) c) + "), which is not Unicode text and cannot be written as UTF-8";
    }

    /**
     * Renders the parser's position as a JSON path such as {@code $.address.lines[2]}; with {@code withCurrent}
     * false it stops at the innermost container (for a property name: the object holding it).
     */
    private static String path(TokenStreamContext context, boolean withCurrent) {
        Deque<String> segments = new ArrayDeque<>();
        for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c == context && !withCurrent) {
                continue;
            }
            if (c.inArray()) {
                segments.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.currentName() != null) {
                segments.push(member(c.currentName()));
            }
        }
        StringBuilder path = new StringBuilder("$");
        segments.forEach(path::append);
        return path.toString();
    }

    private static String member(String name) {
        boolean plain = !name.isEmpty() && Character.isJavaIdentifierStart(name.charAt(0));
        for (int i = 1; plain && i < name.length(); i++) {
            plain = Character.isJavaIdentifierPart(name.charAt(i)) && name.charAt(i) != 0;
        }
        return plain ? "." + name : "[" + show(name) + "]";
    }

    // ---- messages ---------------------------------------------------------------------------------------------

    /**
     * Quotes a string for a message, with NULs, lone surrogates and other control characters as {@code \}{@code uXXXX}
     * escapes (a log line must not carry them raw), shortened when long.
     */
    static String show(String s) {
        int shown = Math.min(s.length(), 80);
        StringBuilder quoted = new StringBuilder(shown + 8).append('\'');
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                quoted.append(c).append(s.charAt(++i));
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                quoted.append('\\').append('u').append(hex(c).substring(2));
            } else if (c == '\'' || c == '\\') {
                quoted.append('\\').append(c);
            } else {
                quoted.append(c);
            }
        }
        if (shown < s.length()) {
            quoted.append("...");
        }
        return quoted.append('\'').toString();
    }

    private static String hex(char c) {
        return String.format("U+%04X", (int) c);
    }
}
