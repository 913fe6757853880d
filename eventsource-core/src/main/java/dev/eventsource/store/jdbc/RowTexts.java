package dev.eventsource.store.jdbc;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;

/**
 * The text columns of one read's rows, on PostgreSQL: the driver hands out a text value's UTF-8 bytes as received
 * ({@code getBytes}), and the rows of a history repeat a few values (its stream type, a handful of event types, empty
 * metadata), so a value met before is answered with the same string instead of decoding a new one per row. Used for
 * one read, on one thread; other dialects read strings.
 */
final class RowTexts {

    private static final int SIZE = 8;

    private final byte[][] bytes = new byte[SIZE][];
    private final String[] strings = new String[SIZE];
    private int next;
    /** The metadata text of the last row that had some, and its map; kept by {@link JdbcRows}. */
    @Nullable String lastMetadataText;
    Map<String, String> lastMetadata = Map.of();

    /** @return the column's text, or null */
    @Nullable String get(ResultSet rows, int column) throws SQLException {
        byte[] value = rows.getBytes(column);
        if (value == null) {
            return null;
        }
        for (int i = 0; i < SIZE; i++) {
            if (bytes[i] != null && Arrays.equals(bytes[i], value)) {
                return strings[i];
            }
        }
        String text = new String(value, StandardCharsets.UTF_8);
        bytes[next] = value;
        strings[next] = text;
        next = (next + 1) % SIZE;
        return text;
    }
}
