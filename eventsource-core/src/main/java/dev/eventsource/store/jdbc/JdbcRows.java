package dev.eventsource.store.jdbc;

import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
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
    private static final TypeReference<Map<String, String>> METADATA_TYPE = new TypeReference<>() {
    };

    private final TableName table;
    private final JdbcDialect dialect;
    private final PayloadFormat payloadFormat;

    JdbcRows(TableName table, JdbcDialect dialect, PayloadFormat payloadFormat) {
        this.table = table;
        this.dialect = dialect;
        this.payloadFormat = payloadFormat;
    }

    /**
     * Binds a record as the eight parameters of one row of an insert: aggregate_id, version, type, occurred_at,
     * payload, metadata, aggregate_type, command_id.
     *
     * @return the index of the next parameter
     */
    int bind(PreparedStatement insert, int index, Record record) throws SQLException {
        insert.setString(index, record.aggregateId());
        insert.setLong(index + 1, record.version());
        insert.setString(index + 2, record.type());
        dialect.setInstant(insert, index + 3, record.at());
        if (payloadFormat == PayloadFormat.JSON) {
            insert.setString(index + 4, new String(record.data(), StandardCharsets.UTF_8));
        } else {
            insert.setBytes(index + 4, record.data());
        }
        insert.setString(index + 5, record.metadata().isEmpty() ? EMPTY_METADATA
                : JSON.writeValueAsString(record.metadata()));
        insert.setString(index + 6, record.aggregateType());
        insert.setString(index + 7, record.commandId());
        return index + 8;
    }

    /**
     * Maps a row whose columns from {@code versionColumn} are version, type, occurred_at, payload, metadata,
     * aggregate_type, command_id.
     */
    Record toRecord(ResultSet rows, String aggregateId, int versionColumn) throws SQLException {
        long position = rows.getLong(1);
        long version = rows.getLong(versionColumn);
        String type = rows.getString(versionColumn + 1);
        var at = dialect.getInstant(rows, versionColumn + 2);
        byte[] data = payloadFormat == PayloadFormat.JSON
                ? dialect.getJsonBytes(rows, versionColumn + 3)
                : rows.getBytes(versionColumn + 3);
        String metadataJson = rows.getString(versionColumn + 4);
        Map<String, String> metadata;
        try {
            metadata = metadataJson == null || metadataJson.equals(EMPTY_METADATA) ? Map.of()
                    : JSON.readValue(metadataJson, METADATA_TYPE);
        } catch (JacksonException e) {
            throw new JdbcStoreException("The metadata of event " + aggregateId + "@" + version + " in table " + table
                    + " is not a JSON object of strings: " + e.getOriginalMessage(), e);
        }
        String aggregateType = rows.getString(versionColumn + 5);
        // An empty type marks a row stored before streams had types (see the v2 migration script).
        return new Record(aggregateType == null || aggregateType.isEmpty() ? null : aggregateType, aggregateId, version,
                type, 1, at, data, metadata, rows.getString(versionColumn + 6), position);
    }
}
