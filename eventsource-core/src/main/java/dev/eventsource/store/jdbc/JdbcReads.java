package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Snapshot;
import dev.eventsource.SnapshotAndHistory;
import dev.eventsource.internal.Batches;
import dev.eventsource.internal.RecordValidator;
import dev.eventsource.internal.Sql;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reads of a {@link JdbcStore}: an aggregate's history (plain, or the latest commit inside the caller's
 * transaction), the global stream and its last position, numbering the committed events first where the dialect
 * numbers them after commit.
 */
final class JdbcReads {

    private static final String LOAD = """
            SELECT position, version, type, revision, occurred_at, payload, metadata, aggregate_type, command_id
            FROM %1$s
            WHERE aggregate_id = ? AND version >= ? AND version <= ?
            ORDER BY version""";
    /**
     * Turns a read of the events table into a locking read (MySQL, MariaDB): answered from the latest committed
     * rows rather than the transaction's snapshot. Taken only under the append lock; see {@link #loadLatest}.
     */
    static final String LOCKING_READ = " LOCK IN SHARE MODE";
    /**
     * The events from the snapshot's version on (from 1 without one), the snapshot's columns on the row of its
     * version. Parameters: aggregate type, aggregate id, aggregate type, aggregate id.
     */
    private static final String LOAD_WITH_SNAPSHOT = """
            SELECT e.position, e.version, e.type, e.revision, e.occurred_at, e.payload, e.metadata, e.aggregate_type,
                e.command_id, s.version, s.fingerprint, s.revision, s.taken_at, s.payload
            FROM %1$s e
            LEFT JOIN %2$s s ON s.aggregate_type = ? AND s.aggregate_id = e.aggregate_id AND s.version = e.version
            WHERE e.aggregate_id = ? AND e.version >= COALESCE(
                (SELECT latest.version FROM %2$s latest WHERE latest.aggregate_type = ? AND latest.aggregate_id = ?), 1)
            ORDER BY e.version""";
    private static final String EXISTS = """
            SELECT version FROM %1$s WHERE aggregate_id = ? LIMIT 1""";
    private static final String HAS_COMMAND = """
            SELECT 1 FROM %1$s WHERE aggregate_id = ? AND command_id = ? AND version <= ? LIMIT 1""";
    private static final String LAST_POSITION = """
            SELECT COALESCE(MAX(position), 0) FROM %1$s""";
    private static final String READ_ALL = """
            SELECT position, aggregate_id, version, type, revision, occurred_at, payload, metadata, aggregate_type,
                command_id
            FROM %1$s
            WHERE position > ?
            ORDER BY position
            LIMIT ?""";

    private final DataSource dataSource;
    private final TableName table;
    private final JdbcDialect dialect;
    private final JdbcRows mapper;
    private final int fetchSize;
    private final String loadSql;
    private final String loadWithSnapshotSql;
    private final String lockingLoadSql;
    private final String existsSql;
    private final String hasCommandSql;
    private final String readAllSql;
    private final String lastPositionSql;
    private final String lockSql;
    private final @Nullable PostgresSequencer sequencer;

    JdbcReads(DataSource dataSource, TableName table, JdbcDialect dialect, JdbcRows mapper, int fetchSize,
              @Nullable PostgresSequencer sequencer) {
        this.dataSource = dataSource;
        this.table = table;
        this.dialect = dialect;
        this.mapper = mapper;
        this.fetchSize = fetchSize;
        this.sequencer = sequencer;
        this.loadSql = LOAD.formatted(table);
        this.loadWithSnapshotSql = LOAD_WITH_SNAPSHOT.formatted(table, table.snapshotTable());
        this.lockingLoadSql = loadSql + LOCKING_READ;
        this.existsSql = EXISTS.formatted(table);
        this.hasCommandSql = HAS_COMMAND.formatted(table);
        this.readAllSql = READ_ALL.formatted(table);
        this.lastPositionSql = LAST_POSITION.formatted(table);
        this.lockSql = dialect.lockSql(table);
    }

    History load(String aggregateId, long fromVersion, long toVersion) {
        Batches.validateRange(aggregateId, fromVersion, toVersion);
        // One statement, no transaction of its own and no fetch size, unlike readAll: a history is materialised
        // whole anyway, so reading it in one round trip beats a cursor's round trips and a COMMIT (PostgreSQL
        // streams by fetch size only inside a transaction).
        return Sql.run(dataSource, connection -> load(connection, loadSql, aggregateId, fromVersion, toVersion),
                e -> loadFailed(aggregateId, fromVersion, toVersion, e));
    }

    /**
     * Loads like {@link #load}, and sees the latest commit inside the caller's transaction too.
     *
     * <p>On MySQL and MariaDB inside a caller's transaction (autocommit off), InnoDB's plain reads at the default
     * REPEATABLE READ come from the snapshot of the transaction's first read, so a reload after a conflict would
     * see the same old version again and again. This method therefore takes the append lock (which the
     * transaction would take at its next append anyway, and keeps until it ends) and then reads with a locking
     * read, which InnoDB answers from the latest committed rows. Only holders of the append lock ever take
     * locking reads on the events table, and every insert into it is made under that lock, so the gap locks of
     * these reads never meet another transaction's insert: no deadlock between appenders. Everywhere else (an
     * autocommit connection, PostgreSQL and H2 at READ COMMITTED) a plain read already sees the latest commit.
     */
    History loadLatest(String aggregateId, long fromVersion, long toVersion) {
        if (dialect != JdbcDialect.MYSQL) {
            return load(aggregateId, fromVersion, toVersion);
        }
        Batches.validateRange(aggregateId, fromVersion, toVersion);
        return Sql.run(dataSource, connection -> {
            if (connection.getAutoCommit()) {
                return load(connection, loadSql, aggregateId, fromVersion, toVersion);
            }
            dialect.lock(connection, lockSql, table, aggregateId);
            return load(connection, lockingLoadSql, aggregateId, fromVersion, toVersion);
        }, e -> loadFailed(aggregateId, fromVersion, toVersion, e));
    }

    private History load(Connection connection, String sql, String aggregateId, long fromVersion, long toVersion)
            throws SQLException {
        long from = Math.max(1, fromVersion);
        long to = toVersion == 0 ? Long.MAX_VALUE : toVersion;
        List<Record> records = readRange(connection, sql, aggregateId, from, to);
        // Versions start at 1 without gaps, so an empty range from 1 means no events at all; only a range
        // starting later needs a second look.
        if (records.isEmpty() && (from == 1 || !exists(connection, aggregateId))) {
            throw new AggregateNotFoundException(aggregateId);
        }
        return History.of(records);
    }

    /** Reads an aggregate's records with versions in {@code [from, to]}, ordered by version, with a load query. */
    private List<Record> readRange(Connection connection, String sql, String aggregateId, long from, long to)
            throws SQLException {
        List<Record> records = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, aggregateId);
            statement.setLong(2, from);
            statement.setLong(3, to);
            try (ResultSet rows = statement.executeQuery()) {
                RowTexts texts = mapper.texts();
                while (rows.next()) {
                    records.add(mapper.toRecord(rows, aggregateId, 2, texts));
                }
            }
        }
        return records;
    }

    /**
     * Reads an aggregate's latest snapshot and its events from the snapshot's version on in one query (see
     * {@link JdbcStore#loadWithSnapshot}).
     *
     * @return them, or null when nothing was found, the rows do not start where they must, or the query failed
     */
    @Nullable SnapshotAndHistory loadWithSnapshot(String aggregateType, String aggregateId) {
        Batches.requireAggregateId(aggregateId);
        try {
            return Sql.run(dataSource, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(loadWithSnapshotSql)) {
                    statement.setString(1, aggregateType);
                    statement.setString(2, aggregateId);
                    statement.setString(3, aggregateType);
                    statement.setString(4, aggregateId);
                    List<Record> records = new ArrayList<>();
                    Snapshot snapshot = null;
                    try (ResultSet rows = statement.executeQuery()) {
                        RowTexts texts = mapper.texts();
                        while (rows.next()) {
                            records.add(mapper.toRecord(rows, aggregateId, 2, texts));
                            if (records.size() == 1) {
                                rows.getLong(10);
                                if (!rows.wasNull()) {
                                    snapshot = JdbcSnapshotStore.snapshot(rows, 10, dialect, table.snapshotTable(),
                                            aggregateType, aggregateId);
                                }
                            }
                        }
                    }
                    // Nothing, or a snapshot replaced between the subquery and the join: read them separately.
                    if (records.isEmpty() || records.get(0).version() != (snapshot == null ? 1 : snapshot.version())) {
                        return null;
                    }
                    return new SnapshotAndHistory(snapshot, History.of(records));
                }
            }, e -> new JdbcStoreException(e.getMessage(), e));
        } catch (JdbcStoreException e) {
            // The separate reads report it (a missing snapshots table is no failure of a load) or fail alike.
            return null;
        }
    }

    private JdbcStoreException loadFailed(String aggregateId, long fromVersion, long toVersion, SQLException e) {
        return new JdbcStoreException("Loading aggregate '" + aggregateId + "' (versions " + fromVersion + " to "
                + toVersion + ") from table " + table + " failed: " + e.getMessage(), e);
    }

    private boolean exists(Connection connection, String aggregateId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(existsSql)) {
            statement.setString(1, aggregateId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * Finds a command id among an aggregate's events up to a version with one query (an index lookup on
     * {@code (aggregate_id, command_id)}, schema v5), on the caller's connection when it has a transaction.
     */
    boolean hasCommand(String aggregateId, String commandId, long toVersion) {
        Objects.requireNonNull(commandId, "commandId");
        if (toVersion < 1) {
            return false;
        }
        Batches.validateRange(aggregateId, 1, toVersion);
        // No stored command id holds a NUL or a lone surrogate, and PostgreSQL's driver would send a lone surrogate
        // as '?', which could match another command's id.
        if (RecordValidator.unstorableText(commandId, Integer.MAX_VALUE) != null) {
            return false;
        }
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(hasCommandSql)) {
                statement.setString(1, aggregateId);
                statement.setString(2, commandId);
                statement.setLong(3, toVersion);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next();
                }
            }
        }, e -> new JdbcStoreException("Looking for command '" + commandId + "' in the events of aggregate '"
                + aggregateId + "' up to version " + toVersion + " in table " + table + " failed: " + e.getMessage(),
                e));
    }

    List<Record> readAll(long afterPosition, int limit) {
        Batches.validateStreamRead(afterPosition, limit);
        try {
            return read(connection -> {
                List<Record> found = new ArrayList<>(Math.min(limit, fetchSize));
                try (PreparedStatement statement = connection.prepareStatement(readAllSql)) {
                    statement.setFetchSize(Math.min(limit, fetchSize));
                    statement.setLong(1, afterPosition);
                    statement.setInt(2, limit);
                    try (ResultSet rows = statement.executeQuery()) {
                        RowTexts texts = mapper.texts();
                        while (rows.next()) {
                            found.add(mapper.toRecord(rows, rows.getString(2), 3, texts));
                        }
                    }
                }
                return List.copyOf(found);
            });
        } catch (SQLException e) {
            throw new JdbcStoreException("Reading the global stream after position " + afterPosition + " from table "
                    + table + " failed: " + e.getMessage(), e);
        }
    }

    long lastPosition() {
        return Sql.run(dataSource, connection -> {
            numberCommittedEvents(connection);
            try (PreparedStatement statement = connection.prepareStatement(lastPositionSql);
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }, e -> new JdbcStoreException("Reading the last position of table " + table + " failed: "
                + e.getMessage(), e));
    }

    /** Reads an aggregate's records with versions in {@code [from, to]} on a connection, ordered by version. */
    List<Record> range(Connection connection, String aggregateId, long from, long to) throws SQLException {
        return readRange(connection, loadSql, aggregateId, from, to);
    }

    private interface Read<T> {
        T apply(Connection connection) throws SQLException;
    }

    /**
     * On PostgreSQL, numbers the events committed since the last numbering pass before a read of the global stream
     * (see {@link PostgresSequencer}), unless the connection is in the caller's transaction: a pass must commit on
     * its own, so there the read shows what other readers have numbered.
     */
    private void numberCommittedEvents(Connection connection) throws SQLException {
        if (sequencer != null && connection.getAutoCommit()) {
            sequencer.number(connection);
        }
    }

    /**
     * Runs a read of the global stream, after numbering the committed events where they are numbered after commit,
     * inside a transaction when the driver needs one to stream with the fetch size.
     */
    private <T> T read(Read<T> read) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            numberCommittedEvents(connection);
            if (!dialect.streamsOnlyInTransaction() || !connection.getAutoCommit()) {
                return read.apply(connection);
            }
            connection.setAutoCommit(false);
            try {
                T result = read.apply(connection);
                connection.commit();
                connection.setAutoCommit(true);
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                Jdbc.rollback(connection, e);
                Jdbc.restoreAutoCommit(connection, e);
                throw e;
            }
        }
    }
}
