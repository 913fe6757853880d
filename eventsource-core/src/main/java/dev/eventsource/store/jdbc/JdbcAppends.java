package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.StaleReadConflictException;
import dev.eventsource.internal.Batches;
import dev.eventsource.internal.IdenticalRecords;
import dev.eventsource.internal.SqlFailures;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * The append protocol of a {@link JdbcStore}: the dialect's lock, the version and stream-type check, the insert,
 * and what a refused insert was (a re-save of stored events, another aggregate type, or a conflict); in one
 * statement on an autocommit PostgreSQL connection, otherwise in the store's own transaction or the caller's.
 */
final class JdbcAppends {

    private static final String INSERT = """
            INSERT INTO %1$s (aggregate_id, version, type, revision, occurred_at, payload, metadata, aggregate_type,
                command_id)
            VALUES\s""";
    private static final String INSERT_ROW = "(?, ?, ?, ?, ?, %1$s, %2$s, ?, ?)";
    /** Keeps a statement's parameters (nine per row) far below every driver's limit (PostgreSQL: 32,767). */
    static final int MAX_ROWS_PER_INSERT = 1000;
    private static final int PREBUILT_INSERTS = 16;
    private static final String HEAD = """
            SELECT version, aggregate_type FROM %1$s WHERE aggregate_id = ? ORDER BY version DESC LIMIT 1""";

    private final DataSource dataSource;
    private final TableName table;
    private final JdbcDialect dialect;
    private final PayloadFormat payloadFormat;
    private final JdbcRows mapper;
    private final JdbcReads reads;
    private final String insertPrefix;
    private final String insertRow;
    private final String[] insertSqlBySize;
    private final String headSql;
    private final String lockingHeadSql;
    private final String lockSql;
    private final @Nullable String lockAndReadVersionSql;
    private final JdbcDialect.@Nullable LockedInsert lockedInsert;
    private final String[] lockedInsertBySize;

    JdbcAppends(DataSource dataSource, TableName table, JdbcDialect dialect, PayloadFormat payloadFormat,
                JdbcRows mapper, JdbcReads reads) {
        this.dataSource = dataSource;
        this.table = table;
        this.dialect = dialect;
        this.payloadFormat = payloadFormat;
        this.mapper = mapper;
        this.reads = reads;
        String payloadParameter = payloadFormat == PayloadFormat.JSON ? dialect.jsonParameter() : "?";
        this.insertPrefix = INSERT.formatted(table);
        this.insertRow = INSERT_ROW.formatted(payloadParameter, dialect.jsonParameter());
        this.insertSqlBySize = new String[PREBUILT_INSERTS];
        for (int rows = 1; rows <= PREBUILT_INSERTS; rows++) {
            insertSqlBySize[rows - 1] = insertPrefix + String.join(", ", Collections.nCopies(rows, insertRow));
        }
        this.headSql = HEAD.formatted(table);
        this.lockingHeadSql = headSql + JdbcReads.LOCKING_READ;
        this.lockSql = dialect.lockSql(table);
        this.lockAndReadVersionSql = dialect.lockAndReadVersionSql(table);
        this.lockedInsert = dialect.lockedInsert(table, payloadFormat);
        this.lockedInsertBySize = new String[lockedInsert == null ? 0 : PREBUILT_INSERTS];
        for (int rows = 1; rows <= lockedInsertBySize.length; rows++) {
            lockedInsertBySize[rows - 1] = lockedInsertSql(rows);
        }
    }

    /** Appends a batch; see {@link JdbcStore#save}. */
    boolean save(String aggregateId, List<Record> records) {
        Batches.validate(aggregateId, records, payloadFormat);
        if (records.isEmpty()) {
            return true;
        }
        long first = records.get(0).version();
        try (Connection connection = dataSource.getConnection()) {
            boolean ownTransaction = connection.getAutoCommit();
            if (ownTransaction && lockedInsert != null && records.size() <= MAX_ROWS_PER_INSERT) {
                return appendInOneStatement(connection, aggregateId, records)
                        || resolveRefusedAppend(connection, aggregateId, records);
            }
            if (ownTransaction) {
                connection.setAutoCommit(false);
            }
            boolean appended;
            try {
                appended = appendUnderLock(connection, aggregateId, records, ownTransaction);
                if (ownTransaction) {
                    // Switching autocommit back on commits the open transaction (JDBC spec, Connection
                    // #setAutoCommit): one round trip instead of a COMMIT and then the switch.
                    connection.setAutoCommit(true);
                }
            } catch (Refused refused) {
                if (!ownTransaction) {
                    // The version read under the append lock was stale, so the caller's transaction reads from a
                    // snapshot (REPEATABLE READ or SERIALIZABLE; MySQL's version read is a locking read, never
                    // stale): no reload in it will see the competitor's events, and on PostgreSQL the failed
                    // insert has aborted it. The store is at least at the first version.
                    throw new StaleReadConflictException(aggregateId, first - 1, Math.max(refused.versionSeen, first),
                            "the transaction reads from a snapshot older than that commit (isolation REPEATABLE READ"
                            + " or SERIALIZABLE on " + dialect.platform() + ")" + (dialect == JdbcDialect.POSTGRESQL
                            ? " and PostgreSQL has aborted it" : "") + "; roll it back and run it again, or run it at"
                            + " READ COMMITTED, where the repository's retries see the latest events",
                            refused.getCause());
                }
                connection.rollback();
                connection.setAutoCommit(true);
                return resolveRefusedAppend(connection, aggregateId, records);
            } catch (SQLException | RuntimeException | Error e) {
                if (ownTransaction) {
                    Jdbc.rollback(connection, e);
                    Jdbc.restoreAutoCommit(connection, e);
                }
                throw e;
            }
            return appended;
        } catch (SQLException e) {
            throw new JdbcStoreException("Appending " + records.size() + " event(s) (versions " + first + " to "
                    + records.get(records.size() - 1).version() + ") of aggregate '" + aggregateId + "' to table "
                    + table + " failed, so the batch was not stored (unless the connection broke while committing;"
                    + " saving the same batch again is safe either way): " + e.getMessage(), e);
        }
    }

    /**
     * Appends with the dialect's single locking statement on an autocommit connection: the statement is its own
     * transaction, so the batch is stored whole or not at all, and the lock is held until it commits.
     *
     * @return whether the batch was inserted; false when the version check or the unique key refused it
     */
    private boolean appendInOneStatement(Connection connection, String aggregateId, List<Record> records)
            throws SQLException {
        String sql = records.size() <= lockedInsertBySize.length ? lockedInsertBySize[records.size() - 1]
                : lockedInsertSql(records.size());
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int index = 1;
            if (lockedInsert.aggregateLockParameter()) {
                insert.setInt(index++, aggregateId.hashCode());
            }
            for (Record record : records) {
                index = mapper.bind(insert, index, record);
            }
            insert.setString(index, aggregateId);
            insert.setLong(index + 1, records.get(0).version() - 1);
            insert.setString(index + 2, aggregateId);
            insert.setLong(index + 3, records.get(0).version() - 1);
            insert.setString(index + 4, records.get(0).aggregateType());
            return insert.executeUpdate() == records.size();
        } catch (SQLException e) {
            if (SqlFailures.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    private String lockedInsertSql(int rows) {
        return lockedInsert.prefix() + String.join(", ", Collections.nCopies(rows, lockedInsert.row()))
                + lockedInsert.suffix();
    }

    /**
     * Decides, outside any transaction, what a refused append was: a re-save of stored events (success), an id of
     * another aggregate type, or a conflict with the version now stored.
     *
     * @return false: the batch is already stored, identical, so nothing was appended
     * @throws ConcurrencyConflictException unless the batch is already stored, identical
     * @throws AggregateNotFoundException when the id is a stream of another aggregate type
     */
    private boolean resolveRefusedAppend(Connection connection, String aggregateId, List<Record> records)
            throws SQLException {
        long first = records.get(0).version();
        Head head = head(connection, aggregateId);
        head.requireType(records);
        long current = head.version;
        if (first <= current && isStored(connection, aggregateId, records)) {
            return false;
        }
        throw new ConcurrencyConflictException(aggregateId, first - 1, current);
    }

    /**
     * An append refused under the lock: its insert hit the unique key (another writer stored these versions after
     * this transaction's snapshot), or, in the store's own transaction, the version read did not match. Either is
     * decided afresh outside the transaction, or in the caller's transaction reported as a conflict.
     */
    private static final class Refused extends Exception {
        private final long versionSeen;

        Refused(long versionSeen, @Nullable SQLException cause) {
            super(cause == null ? "version " + versionSeen : cause.getMessage(), cause, false, false);
            this.versionSeen = versionSeen;
        }
    }

    /**
     * Takes the append lock, checks the version and inserts the batch, each part of the batch in one multi-row
     * statement (atomic on its own, so a failed insert leaves nothing behind even in the caller's transaction).
     *
     * @return true when inserted, false when the batch is already stored, identical
     * @throws ConcurrencyConflictException when the batch does not continue the stored history
     * @throws Refused when the insert hit the unique key, or in the store's own transaction when the version read
     *     under the lock does not continue the history
     */
    private boolean appendUnderLock(Connection connection, String aggregateId, List<Record> records,
                                    boolean ownTransaction) throws SQLException, Refused {
        Head head = lockAndReadHead(connection, aggregateId, ownTransaction);
        head.requireType(records);
        long current = head.version;
        long first = records.get(0).version();
        if (first != current + 1) {
            if (ownTransaction) {
                // The version may come from a snapshot taken before the lock wait (when the lock and the read
                // are one statement), so decide re-save or conflict with fresh reads, after the rollback.
                throw new Refused(current, null);
            }
            if (first <= current && isStored(connection, aggregateId, records)) {
                return false;
            }
            throw new ConcurrencyConflictException(aggregateId, first - 1, current);
        }
        for (int from = 0; from < records.size(); from += MAX_ROWS_PER_INSERT) {
            List<Record> part = records.subList(from, Math.min(records.size(), from + MAX_ROWS_PER_INSERT));
            try (PreparedStatement insert = connection.prepareStatement(insertSql(part.size()))) {
                int index = 1;
                for (Record record : part) {
                    index = mapper.bind(insert, index, record);
                }
                insert.executeUpdate();
            } catch (SQLException e) {
                if (SqlFailures.isUniqueViolation(e)) {
                    throw new Refused(current, e);
                }
                throw e;
            }
        }
        return true;
    }

    private String insertSql(int rows) {
        if (rows <= insertSqlBySize.length) {
            return insertSqlBySize[rows - 1];
        }
        return insertPrefix + String.join(", ", Collections.nCopies(rows, insertRow));
    }

    /**
     * Takes the dialect's append lock until the transaction ends (on MySQL, MariaDB and H2 the table's, so that
     * positions follow commit order; on PostgreSQL the aggregate's; see the class comment of {@link JdbcStore}),
     * and reads the aggregate's version and stream type: one statement where the dialect can, else two. A version
     * read stale by the lock wait is caught by the unique key at insert.
     *
     * @return the aggregate's current version (0 when it has no events) and stream type
     */
    private Head lockAndReadHead(Connection connection, String aggregateId, boolean ownTransaction)
            throws SQLException {
        if (lockAndReadVersionSql == null) {
            dialect.lock(connection, lockSql, table, aggregateId);
            return head(connection, aggregateId);
        }
        if (!ownTransaction) {
            // In the caller's transaction the version must be read after the lock wait, so that a conflict is
            // seen here, reported with the true version and retried, rather than hitting the unique key: one
            // statement may read from a snapshot taken before the wait (H2), and on MySQL and MariaDB at
            // REPEATABLE READ only a locking read (taken under the append lock, see loadLatest) sees past the
            // transaction's snapshot.
            dialect.lock(connection, lockSql, table, aggregateId);
            return head(connection, dialect == JdbcDialect.MYSQL ? lockingHeadSql : headSql, aggregateId);
        }
        try (PreparedStatement statement = connection.prepareStatement(lockAndReadVersionSql)) {
            statement.setString(1, aggregateId);
            statement.setString(2, aggregateId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw JdbcDialect.missingLockRow(table);
                }
                return new Head(rows.getLong(1), rows.getString(2));
            }
        }
    }

    private Head head(Connection connection, String aggregateId) throws SQLException {
        return head(connection, headSql, aggregateId);
    }

    private Head head(Connection connection, String sql, String aggregateId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, aggregateId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new Head(rows.getLong(1), rows.getString(2)) : new Head(0, null);
            }
        }
    }

    /**
     * The latest stored version of an aggregate and the type of its stream: null when it has no events, or empty
     * for a stream stored before streams had types (any aggregate type may continue it).
     */
    private record Head(long version, @Nullable String type) {

        /** @throws AggregateNotFoundException when the stream belongs to another aggregate type */
        void requireType(List<Record> records) {
            if (version > 0 && type != null && !type.isEmpty() && !type.equals(records.get(0).aggregateType())) {
                throw Batches.wrongStreamType(records, type);
            }
        }
    }

    /** @return whether the batch is already stored, identical ({@link IdenticalRecords}) */
    private boolean isStored(Connection connection, String aggregateId, List<Record> records) throws SQLException {
        List<Record> stored = reads.range(connection, aggregateId, records.get(0).version(),
                records.get(records.size() - 1).version());
        return IdenticalRecords.isStored(stored, records, payloadFormat);
    }
}
