package dev.eventsource.store.jdbc;

import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * How a {@link Record} becomes the parameters of a row of the events table and a row becomes a record again, for
 * one table, dialect and payload format.
 */
final class JdbcRows {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EMPTY_METADATA = "{}";
    private static final ObjectReader METADATA = JSON.readerFor(new TypeReference<Map<String, String>>() {
    });

    /** The parameters {@link #bind} binds per row. */
    static final int PARAMETERS_PER_ROW = 9;

    private final TableName table;
    private final JdbcDialect dialect;
    private final PayloadFormat payloadFormat;

    JdbcRows(TableName table, JdbcDialect dialect, PayloadFormat payloadFormat) {
        this.table = table;
        this.dialect = dialect;
        this.payloadFormat = payloadFormat;
    }

    /**
     * Binds a record as the nine parameters of one row of an insert: aggregate_id, version, type, revision,
     * occurred_at, payload, metadata, aggregate_type, command_id.
     *
     * @return the index of the next parameter
     */
    int bind(PreparedStatement insert, int index, Record record) throws SQLException {
        insert.setString(index, record.aggregateId());
        insert.setLong(index + 1, record.version());
        insert.setString(index + 2, record.type());
        insert.setInt(index + 3, record.revision());
        dialect.setInstant(insert, index + 4, record.at());
        if (payloadFormat == PayloadFormat.JSON) {
            insert.setString(index + 5, new String(record.data(), StandardCharsets.UTF_8));
        } else {
            insert.setBytes(index + 5, record.data());
        }
        insert.setString(index + 6, record.metadata().isEmpty() ? EMPTY_METADATA
                : JSON.writeValueAsString(record.metadata()));
        insert.setString(index + 7, record.aggregateType());
        insert.setString(index + 8, record.commandId());
        return index + PARAMETERS_PER_ROW;
    }

    /**
     * Maps a row whose first column is position and whose columns from {@code versionColumn} are version, type,
     * revision, occurred_at, payload, metadata, aggregate_type, command_id.
     */
    Record toRecord(ResultSet rows, String aggregateId, int versionColumn) throws SQLException {
        return toRecord(rows, aggregateId, versionColumn, null);
    }

    /** @return the texts of one read's rows, or null where the dialect reads strings */
    @Nullable RowTexts texts() {
        return dialect == JdbcDialect.POSTGRESQL ? new RowTexts() : null;
    }

    /**
     * Maps a row as {@link #toRecord(ResultSet, String, int)} does, its text columns through {@code texts} when
     * given ({@link #texts()}, one per read).
     */
    Record toRecord(ResultSet rows, String aggregateId, int versionColumn, @Nullable RowTexts texts)
            throws SQLException {
        long position = rows.getLong(1);
        long version = rows.getLong(versionColumn);
        String type = texts == null ? rows.getString(versionColumn + 1) : texts.get(rows, versionColumn + 1);
        int revision = rows.getInt(versionColumn + 2);
        if (revision < 1) {
            throw new JdbcStoreException("Event " + aggregateId + "@" + version + " in table " + table
                    + " has revision " + revision + ", but revisions start at 1; set its revision column to the"
                    + " revision its payload was written in (1 for events stored before revisions)");
        }
        var at = dialect.getInstant(rows, versionColumn + 3);
        byte[] data = payloadFormat == PayloadFormat.JSON
                ? dialect.getJsonBytes(rows, versionColumn + 4)
                : rows.getBytes(versionColumn + 4);
        String metadataJson = texts == null ? rows.getString(versionColumn + 5) : jsonText(texts, rows,
                versionColumn + 5);
        Map<String, String> metadata;
        try {
            if (metadataJson == null || metadataJson.equals(EMPTY_METADATA)) {
                metadata = Map.of();
            } else if (texts != null && metadataJson.equals(texts.lastMetadataText)) {
                // The same text as the previous row's: its map (immutable) again rather than a parse per event.
                metadata = texts.lastMetadata;
            } else {
                metadata = Map.copyOf(METADATA.<Map<String, String>>readValue(metadataJson));
                if (texts != null) {
                    texts.lastMetadataText = metadataJson;
                    texts.lastMetadata = metadata;
                }
            }
        } catch (JacksonException e) {
            throw new JdbcStoreException("The metadata of event " + aggregateId + "@" + version + " in table " + table
                    + " is not a JSON object of strings: " + e.getOriginalMessage(), e);
        }
        String aggregateType = texts == null ? rows.getString(versionColumn + 6) : texts.get(rows, versionColumn + 6);
        // An empty type marks a row stored before streams had types (see the v2 migration script).
        return new Record(aggregateType == null || aggregateType.isEmpty() ? null : aggregateType, aggregateId, version,
                type, revision, at, data, metadata, rows.getString(versionColumn + 7), position);
    }

    /** A jsonb column's text through the row texts: in binary transfer it starts with its format version, 1. */
    private static @Nullable String jsonText(RowTexts texts, ResultSet rows, int column) throws SQLException {
        String text = texts.get(rows, column);
        return text != null && !text.isEmpty() && text.charAt(0) == 1 ? text.substring(1) : text;
    }
}
