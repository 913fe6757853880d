package dev.eventsource.store.jdbc;

import dev.eventsource.PayloadFormat;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The databases a {@link JdbcStore} supports, and what differs between them: column types, how a JSON parameter
 * is bound, what appends lock, how the global stream is kept in order, how times are bound.
 */
public enum JdbcDialect {

    /**
     * PostgreSQL: {@code jsonb} payloads; appends wait only for appends to the same aggregate, and committed events
     * are numbered afterwards, in order, by a short sequencing transaction (see {@link PostgresSequencer}).
     */
    POSTGRESQL("postgresql") {
        @Override
        String binaryPayloadType() {
            return "BYTEA";
        }

        /**
         * Takes the transaction-scoped advisory lock of one aggregate of the table: appends to the same aggregate
         * wait for each other (so a version read after the lock is the latest committed one, and a competing
         * append is a conflict reported without a failed insert), appends to other aggregates do not. The key is
         * the pair (table OID, hash of the aggregate id), in the two-key space of advisory locks, apart from the
         * one-key locks of the sequencer and of applications; a hash collision only makes two aggregates wait for
         * each other. The OID is resolved by the server as the INSERT resolves the table, so two stores naming one
         * table differently take the same locks. One parameter: the aggregate id's {@link String#hashCode()}.
         */
        @Override
        String lockSql(TableName table) {
            return "SELECT " + aggregateLock(table);
        }

        private static String aggregateLock(TableName table) {
            return ("pg_advisory_xact_lock(CAST(CAST(CAST(CAST('%1$s' AS REGCLASS) AS OID) AS BIGINT) - 2147483648"
                    + " AS INTEGER), CAST(? AS INTEGER))").formatted(table.qualified());
        }

        @Override
        @Nullable String lockAndReadVersionSql(TableName table) {
            // The advisory lock is a function in the select list, and PostgreSQL does not promise to evaluate it
            // before a scalar subquery beside it; lock and read stay two statements (appends on an autocommit
            // connection are one statement anyway).
            return null;
        }

        @Override
        void lock(Connection connection, String lockSql, TableName table, String aggregateId) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(lockSql)) {
                statement.setInt(1, aggregateId.hashCode());
                statement.executeQuery().close();
            }
        }

        @Override
        boolean numbersAfterCommit() {
            return true;
        }

        @Override
        String jsonParameter() {
            return "CAST(? AS JSONB)";
        }

        @Override
        LockedInsert lockedInsert(TableName table, PayloadFormat format) {
            // The aggregate's lock is a CTE joined to the rows; the version check's snapshot predates the lock
            // wait, but a stale check can only let through versions that already exist, which the unique key then
            // refuses. No position: the sequencer numbers the rows once they are committed.
            return new LockedInsert("""
                    WITH append_lock AS (SELECT %2$s AS locked)
                    INSERT INTO %1$s (aggregate_id, version, type, revision, occurred_at, payload, metadata,
                        aggregate_type, command_id)
                    SELECT v.aggregate_id, v.version, v.type, v.revision, v.occurred_at, v.payload, v.metadata,
                        v.aggregate_type, v.command_id
                    FROM append_lock CROSS JOIN (VALUES\s""".formatted(table, aggregateLock(table)),
                    ("(?, CAST(? AS BIGINT), ?, CAST(? AS INTEGER), CAST(? AS TIMESTAMPTZ), CAST(? AS %1$s),"
                            + " CAST(? AS JSONB), CAST(? AS VARCHAR), CAST(? AS VARCHAR))")
                            .formatted(format == PayloadFormat.JSON ? "JSONB" : "BYTEA"),
                    """
                    ) AS v (aggregate_id, version, type, revision, occurred_at, payload, metadata, aggregate_type,
                        command_id)
                    WHERE (SELECT COALESCE(MAX(version), 0) FROM %1$s WHERE aggregate_id = ?) = ?
                    AND NOT EXISTS (SELECT 1 FROM %1$s WHERE aggregate_id = ? AND version = ?
                        AND aggregate_type <> '' AND aggregate_type <> ?)""".formatted(table), true);
        }

        @Override
        void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
            statement.setObject(index, OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }

        @Override
        Instant getInstant(ResultSet rows, int column) throws SQLException {
            // Once the driver has prepared the statement on the server (after a few executions), it receives
            // timestamptz in binary: eight bytes, microseconds since 2000-01-01 UTC, which it hands out as they are.
            // Read them directly rather than through an OffsetDateTime (and its zone rules) per event. Text (before
            // that, or "infinity") is never eight bytes starting with 0x00 or 0xFF, and goes the driver's way.
            byte[] bytes = rows.getBytes(column);
            if (bytes != null && bytes.length == 8 && (bytes[0] == 0 || bytes[0] == (byte) 0xFF)) {
                long micros = 0;
                for (byte b : bytes) {
                    micros = (micros << 8) | (b & 0xFF);
                }
                return Instant.ofEpochSecond(POSTGRES_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L);
            }
            return rows.getObject(column, OffsetDateTime.class).toInstant();
        }

        @Override
        byte @Nullable [] getJsonBytes(ResultSet rows, int column) throws SQLException {
            // The driver hands out a jsonb value's UTF-8 text as received: no decoding into a String and encoding
            // back per event. In binary transfer jsonb starts with its format version, 1, which JSON text never
            // starts with.
            byte[] bytes = rows.getBytes(column);
            if (bytes != null && bytes.length > 0 && bytes[0] == 1) {
                return Arrays.copyOfRange(bytes, 1, bytes.length);
            }
            return bytes;
        }

        @Override
        boolean streamsOnlyInTransaction() {
            // The PostgreSQL driver uses a cursor for the fetch size only outside autocommit; otherwise it
            // reads the whole result into memory.
            return true;
        }
    },

    /**
     * MySQL and MariaDB (InnoDB): a {@code JSON} payload column, binary collation for ids and types, appends
     * serialised by a row lock on a one-row lock table.
     */
    MYSQL("mysql") {
        @Override
        String binaryPayloadType() {
            return "LONGBLOB";
        }

        @Override
        void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
            // DATETIME holds no zone; the store writes and reads it as UTC, whatever the session time zone.
            statement.setObject(index, LocalDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }

        @Override
        Instant getInstant(ResultSet rows, int column) throws SQLException {
            return rows.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }
    },

    /** H2: a {@code JSON} payload column, appends serialised by a row lock on a one-row lock table. */
    H2("h2") {
        @Override
        String jsonParameter() {
            // Without FORMAT JSON, H2 would store the text as one JSON string value.
            return "? FORMAT JSON";
        }
    };

    /**
     * The high 32 bits of the PostgreSQL advisory lock key of the sequencer of a table ("evsr"; the low 32 bits are
     * the table's OID). Before events were numbered after commit, every append took this key.
     */
    static final int ADVISORY_KEY_SPACE = 0x65767372;

    private final String platform;

    JdbcDialect(String platform) {
        this.platform = platform;
    }

    /**
     * Detects the dialect from the database's product name.
     *
     * @param dataSource the database
     * @return the dialect for it
     * @throws JdbcStoreException when the database cannot be reached or is not PostgreSQL, MySQL, MariaDB or H2
     */
    public static JdbcDialect detect(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new JdbcStoreException("Cannot detect the database of the event store: connecting to the"
                    + " DataSource failed: " + e.getMessage(), e);
        }
        return forProductName(product);
    }

    static JdbcDialect forProductName(String product) {
        String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mysql") || name.contains("mariadb")) {
            return MYSQL;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new JdbcStoreException("Unsupported database '" + product + "' for the JDBC event store; supported"
                + " are PostgreSQL, MySQL, MariaDB and H2. Use another database, or another Store implementation");
    }

    /**
     * Names the platform as Spring Boot's schema initialisation does, and as the schema scripts are named.
     *
     * @return {@code postgresql}, {@code mysql} or {@code h2}
     */
    public String platform() {
        return platform;
    }

    /**
     * Returns the DDL that creates the events table and what appends and subscriptions need: the statements of the
     * shipped {@code schema-<platform>.sql} script, adapted to the table and the payload format (see
     * {@link SchemaScript}); each is idempotent.
     *
     * @param mariaDb on {@link #MYSQL}, whether the server is MariaDB (its binary no-pad collation has another name)
     * @return the statements, in order
     */
    List<String> schema(TableName table, PayloadFormat format, boolean mariaDb) {
        return SchemaScript.statements("schema-" + (mariaDb ? "mariadb" : platform) + ".sql", table, format,
                binaryPayloadType());
    }

    /** @return the payload column's type for {@link PayloadFormat#BINARY} payloads */
    String binaryPayloadType() {
        return "BLOB";
    }

    /**
     * Returns whether committed events get their positions after the commit, from the sequencer (PostgreSQL), rather
     * than at insert under a lock that serialises all appends to the table until they commit (MySQL, MariaDB, H2).
     *
     * @return true on PostgreSQL
     */
    boolean numbersAfterCommit() {
        return false;
    }

    /** @return the statement that takes the append lock, built once per store */
    String lockSql(TableName table) {
        return "SELECT id FROM " + table.lockTable() + " WHERE id = 1 FOR UPDATE";
    }

    /**
     * Takes the append lock of the dialect until the end of the current transaction: on MySQL, MariaDB and H2 the one
     * lock of the table, which serialises every append to it; on PostgreSQL the lock of the aggregate.
     *
     * @param aggregateId the aggregate appended to
     * @throws JdbcStoreException when the lock table has no row to lock
     */
    void lock(Connection connection, String lockSql, TableName table, String aggregateId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lockSql);
             ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                throw missingLockRow(table);
            }
        }
    }

    /**
     * Returns one statement that takes the append lock, as {@link #lock} does, and returns the current version of
     * the aggregate and the type of its stream (NULL when it has none; both parameters are the aggregate id),
     * saving a round trip per append.
     *
     * @return the statement, or null when the dialect must lock and read in two statements
     */
    @Nullable String lockAndReadVersionSql(TableName table) {
        return "SELECT (SELECT MAX(version) FROM " + table + " WHERE aggregate_id = ?), (SELECT aggregate_type FROM "
                + table + " WHERE aggregate_id = ? ORDER BY version DESC LIMIT 1) FROM " + table.lockTable()
                + " WHERE id = 1 FOR UPDATE";
    }

    static JdbcStoreException missingLockRow(TableName table) {
        return new JdbcStoreException("The lock table " + table.lockTable() + " has no row with id 1, so"
                + " appends to " + table + " cannot be serialised; run JdbcStore.createSchema() or the"
                + " schema script, which insert it");
    }

    /** @return the placeholder for a JSON text parameter */
    String jsonParameter() {
        return "?";
    }

    /** Binds a time, at microsecond precision (the finest PostgreSQL and MySQL keep). */
    void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }

    Instant getInstant(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** PostgreSQL's epoch for its binary times, 2000-01-01T00:00:00Z, in seconds since 1970. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    /** @return the UTF-8 bytes of a JSON column's text, or null */
    byte @Nullable [] getJsonBytes(ResultSet rows, int column) throws SQLException {
        String text = rows.getString(column);
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * An insert that takes the append lock, checks the current version and the stream's type and inserts the rows
     * in one statement, so an append on an autocommit connection is one round trip. Parameters: the rows, then the
     * aggregate id and the version it must be at, twice, then the aggregate type; when {@code aggregateLockParameter}
     * is set, the hash of the aggregate id comes first, before the rows.
     *
     * @param prefix the text before the rows
     * @param row the placeholders of one row
     * @param suffix the text after the rows
     * @param aggregateLockParameter whether the first parameter is the aggregate id's hash, for its lock
     */
    record LockedInsert(String prefix, String row, String suffix, boolean aggregateLockParameter) {
    }

    /** @return the single-statement append of this dialect, or null when it has none */
    @Nullable LockedInsert lockedInsert(TableName table, PayloadFormat format) {
        return null;
    }

    /** @return whether the driver streams a result with a fetch size only inside a transaction */
    boolean streamsOnlyInTransaction() {
        return false;
    }
}
