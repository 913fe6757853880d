package dev.eventsource.store.jdbc;

import dev.eventsource.EventLimits;
import dev.eventsource.Snapshot;
import dev.eventsource.SnapshotStore;
import dev.eventsource.internal.RecordValidator;
import dev.eventsource.internal.Sql;
import dev.eventsource.internal.SqlFailures;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link SnapshotStore} in the table {@code <events table>_snapshots} beside a {@link JdbcStore}'s events, on the
 * same DataSource, dialect and table name: one row per aggregate, keyed by (aggregate type, aggregate id), created
 * by {@link JdbcStore#createSchema()} and the {@code schema-<platform>.sql} scripts (for a database of the v4 layout,
 * {@code migrate-v5-<platform>.sql}). Thread-safe; make one per store:
 *
 * <pre>{@code
 * Repository<Account> accounts = Repository.builder(Account.class)
 *         .store(jdbcStore)
 *         .snapshots(JdbcSnapshotStore.of(jdbcStore))
 *         .build();
 * }</pre>
 *
 * <p>The state is kept as the bytes the serializer wrote (a binary column, {@code BYTEA}, {@code LONGBLOB} or
 * {@code BLOB}, whatever the payload format of the events): a snapshot is read back byte for byte, no database
 * parses or normalises it on the write path, and nothing queries inside it. Times are kept at microsecond
 * precision, as in the events table.
 *
 * <p>{@link #save} follows {@link SnapshotStore#replaces} (a higher version, or the same one of another shape or
 * revision) and never moves a snapshot back, also when several processes save snapshots of one aggregate at
 * once: on PostgreSQL one {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} the rule holds; on
 * MySQL, MariaDB and H2 an {@code UPDATE ... WHERE} the rule holds, and when no row matched an
 * {@code INSERT}, which the primary key refuses when a concurrent save inserted first (the update is then tried
 * again). Each step is one statement, so the outcome does not depend on the isolation level. Every operation runs on
 * a connection of the DataSource: inside the caller's transaction when the DataSource hands out one that is in a
 * transaction (Spring's {@code TransactionAwareDataSourceProxy}), as the store's reads and appends do.
 */
public final class JdbcSnapshotStore implements SnapshotStore {

    private static final String LOAD = """
            SELECT version, fingerprint, revision, taken_at, payload
            FROM %1$s
            WHERE aggregate_type = ? AND aggregate_id = ?""";
    private static final String UPDATE = """
            UPDATE %1$s SET version = ?, fingerprint = ?, revision = ?, taken_at = ?, payload = ?
            WHERE aggregate_type = ? AND aggregate_id = ?
              AND (version < ? OR (version = ? AND (fingerprint <> ? OR revision <> ?)))""";
    private static final String INSERT = """
            INSERT INTO %1$s (aggregate_type, aggregate_id, version, fingerprint, revision, taken_at, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    /** PostgreSQL: one statement; the WHERE of the update sees the latest committed row, locked. */
    private static final String UPSERT = INSERT + """

            ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE
            SET version = EXCLUDED.version, fingerprint = EXCLUDED.fingerprint, revision = EXCLUDED.revision,
                taken_at = EXCLUDED.taken_at, payload = EXCLUDED.payload
            WHERE %1$s.version < EXCLUDED.version OR (%1$s.version = EXCLUDED.version
              AND (%1$s.fingerprint <> EXCLUDED.fingerprint OR %1$s.revision <> EXCLUDED.revision))""";
    private static final String DELETE_ALL = """
            DELETE FROM %1$s WHERE aggregate_type = ?""";

    /** How many times an update then insert is tried when concurrent saves and deletes keep changing the row. */
    private static final int ATTEMPTS = 3;

    private final TableName events;
    private final DataSource dataSource;
    private final JdbcDialect dialect;
    private final String table;
    private final String loadSql;
    private final String updateSql;
    private final String insertSql;
    private final @Nullable String upsertSql;
    private final String deleteAllSql;

    private JdbcSnapshotStore(DataSource dataSource, JdbcDialect dialect, TableName events) {
        this.events = events;
        this.dataSource = dataSource;
        this.dialect = dialect;
        // The alias-free name in the upsert's WHERE must be the table as named in the INSERT: qualified as given.
        this.table = events.snapshotTable();
        this.loadSql = LOAD.formatted(table);
        this.updateSql = UPDATE.formatted(table);
        this.insertSql = INSERT.formatted(table);
        this.upsertSql = dialect == JdbcDialect.POSTGRESQL ? UPSERT.formatted(table) : null;
        this.deleteAllSql = DELETE_ALL.formatted(table);
    }

    /**
     * Returns the snapshot store beside a JDBC store's events table: the same DataSource (so the same transactions),
     * dialect and table name, the table {@link JdbcStore#snapshotTableName()}.
     *
     * @param store the event store
     * @return a snapshot store on its snapshots table
     */
    public static JdbcSnapshotStore of(JdbcStore store) {
        Objects.requireNonNull(store, "store");
        return new JdbcSnapshotStore(store.dataSource(), store.dialect(), store.table());
    }

    /** @return whether this is the snapshot store beside the store's events table: same DataSource and table */
    boolean isBeside(JdbcStore store) {
        return store.dataSource() == dataSource && store.table().equals(events) && store.dialect() == dialect;
    }

    /**
     * Reads a snapshot from five columns (version, fingerprint, revision, taken_at, payload) of a row.
     *
     * @throws JdbcStoreException when the row holds what no snapshot can
     */
    static Snapshot snapshot(ResultSet rows, int versionColumn, JdbcDialect dialect, String table,
                             String aggregateType, String aggregateId) throws SQLException {
        long version = rows.getLong(versionColumn);
        String fingerprint = rows.getString(versionColumn + 1);
        int revision = rows.getInt(versionColumn + 2);
        Instant takenAt = dialect.getInstant(rows, versionColumn + 3);
        byte[] data = rows.getBytes(versionColumn + 4);
        try {
            return new Snapshot(aggregateType, aggregateId, version, fingerprint, revision, takenAt, data);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JdbcStoreException("The snapshot row of " + aggregateType + " '" + aggregateId
                    + "' in table " + table + " is not a snapshot (" + e.getMessage() + "); delete it,"
                    + " loads replay the events meanwhile and the next snapshot replaces it", e);
        }
    }

    /** @return the snapshots table, as named in SQL (schema-qualified when the events table is) */
    public String tableName() {
        return table;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the type or id is null, blank, or holds a NUL or a lone surrogate
     * @throws JdbcStoreException when the database fails, or the row holds what no snapshot can (a version below 1,
     *     an empty type); delete the row, the next snapshot replaces it
     */
    @Override
    public @Nullable Snapshot load(String aggregateType, String aggregateId) {
        requireKey(aggregateType, aggregateId);
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(loadSql)) {
                statement.setString(1, aggregateType);
                statement.setString(2, aggregateId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? snapshot(rows, 1, dialect, table, aggregateType, aggregateId) : null;
                }
            }
        }, e -> new JdbcStoreException("Loading the snapshot of " + aggregateType + " '" + aggregateId
                + "' from table " + table + " failed: " + e.getMessage() + missingTableHint(e), e));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the type, id or fingerprint cannot be stored: longer than
     *     {@value EventLimits#MAX_ID_LENGTH} characters, or holding a NUL or a lone surrogate
     * @throws JdbcStoreException when the database fails
     */
    @Override
    public boolean save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        requireStorable(snapshot, "aggregate type", snapshot.aggregateType());
        requireStorable(snapshot, "aggregate id", snapshot.aggregateId());
        requireStorable(snapshot, "fingerprint", snapshot.fingerprint());
        return Sql.run(dataSource, connection -> upsertSql != null ? upsert(connection, snapshot)
                        : updateOrInsert(connection, snapshot),
                e -> new JdbcStoreException("Saving " + snapshot + " to table " + table + " failed: "
                        + e.getMessage() + missingTableHint(e), e));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the type is null or blank
     * @throws JdbcStoreException when the database fails
     */
    @Override
    public int deleteAll(String aggregateType) {
        if (aggregateType == null || aggregateType.isBlank()) {
            throw new IllegalArgumentException("deleteAll needs an aggregate type name, got '" + aggregateType + "'");
        }
        if (RecordValidator.unstorableText(aggregateType, Integer.MAX_VALUE) != null) {
            return 0; // no stored type holds a NUL or a lone surrogate
        }
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(deleteAllSql)) {
                statement.setString(1, aggregateType);
                return statement.executeUpdate();
            }
        }, e -> new JdbcStoreException("Deleting the snapshots of " + aggregateType + " from table " + table
                + " failed: " + e.getMessage() + missingTableHint(e), e));
    }

    private boolean upsert(Connection connection, Snapshot snapshot) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(upsertSql)) {
            statement.setString(1, snapshot.aggregateType());
            statement.setString(2, snapshot.aggregateId());
            statement.setLong(3, snapshot.version());
            statement.setString(4, snapshot.fingerprint());
            statement.setInt(5, snapshot.revision());
            dialect.setInstant(statement, 6, snapshot.takenAt());
            statement.setBytes(7, snapshot.data());
            return statement.executeUpdate() > 0;
        }
    }

    /**
     * Updates the row when the snapshot replaces it, else inserts one. Both counts are exact whatever the driver reports
     * (MySQL drivers count found rather than changed rows by default, which makes the count of an
     * {@code INSERT ... ON DUPLICATE KEY UPDATE} ambiguous): the update matches only rows it changes.
     */
    private boolean updateOrInsert(Connection connection, Snapshot snapshot) throws SQLException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (PreparedStatement update = connection.prepareStatement(updateSql)) {
                update.setLong(1, snapshot.version());
                update.setString(2, snapshot.fingerprint());
                update.setInt(3, snapshot.revision());
                dialect.setInstant(update, 4, snapshot.takenAt());
                update.setBytes(5, snapshot.data());
                update.setString(6, snapshot.aggregateType());
                update.setString(7, snapshot.aggregateId());
                update.setLong(8, snapshot.version());
                update.setLong(9, snapshot.version());
                update.setString(10, snapshot.fingerprint());
                update.setInt(11, snapshot.revision());
                if (update.executeUpdate() > 0) {
                    return true;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
                insert.setString(1, snapshot.aggregateType());
                insert.setString(2, snapshot.aggregateId());
                insert.setLong(3, snapshot.version());
                insert.setString(4, snapshot.fingerprint());
                insert.setInt(5, snapshot.revision());
                dialect.setInstant(insert, 6, snapshot.takenAt());
                insert.setBytes(7, snapshot.data());
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (!SqlFailures.isUniqueViolation(e)) {
                    throw e;
                }
                // A row exists: one as new or newer (then the update matches nothing and this save is not stored),
                // or an older one a concurrent save inserted since the update (the update now replaces it).
            }
        }
        return false;
    }

    private static void requireKey(String aggregateType, String aggregateId) {
        if (aggregateType == null || aggregateType.isBlank() || aggregateId == null || aggregateId.isBlank()) {
            throw new IllegalArgumentException("A snapshot is found by a non-blank aggregate type and id, got "
                    + aggregateType + " '" + aggregateId + "'");
        }
        // PostgreSQL fails on a NUL, and its driver sends a lone surrogate as '?', which could match another id.
        RecordValidator.requireNoInvalidChars(aggregateType);
        RecordValidator.requireNoInvalidChars(aggregateId);
    }

    private void requireStorable(Snapshot snapshot, String what, String text) {
        String problem = RecordValidator.unstorableText(text, EventLimits.MAX_ID_LENGTH);
        if (problem != null) {
            throw new IllegalArgumentException("Snapshot of " + snapshot.aggregateType() + " '"
                    + snapshot.aggregateId() + "' cannot be stored in table " + table + ": its " + what + " "
                    + problem);
        }
    }

    /** @return a hint to create the table when the failure is a missing table, else nothing */
    private String missingTableHint(SQLException e) {
        String state = e.getSQLState();
        boolean missing = "42P01".equals(state) || "42S02".equals(state) || "42S04".equals(state)
                || e.getErrorCode() == 1146 || e.getErrorCode() == 42102;
        return missing ? ". The snapshots table is missing: run JdbcStore.createSchema(), schema-"
                + dialect.platform() + ".sql or, for a database of an earlier layout, migrate-v5-<platform>.sql"
                + " from the eventsource-core jar" : "";
    }

    @Override
    public String toString() {
        return "JdbcSnapshotStore[" + dialect.platform() + ", table " + table + "]";
    }
}
