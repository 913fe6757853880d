package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.EventLimits;
import dev.eventsource.History;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.StaleReadConflictException;
import dev.eventsource.Store;
import dev.eventsource.internal.Batches;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Store} in one table of a relational database, through plain JDBC on a {@link DataSource}: PostgreSQL,
 * MySQL, MariaDB or H2 (see {@link JdbcDialect}). Thread-safe; build it once:
 *
 * <pre>{@code
 * JdbcStore store = JdbcStore.builder(dataSource)
 *         .tableName("eventsource_events")   // the default; "schema.table" works too
 *         .build();
 * store.createSchema();                      // or run dev/eventsource/store/jdbc/schema-<platform>.sql
 * }</pre>
 *
 * <h2>Transactions</h2>
 * When the connection the DataSource hands out is in autocommit mode, each append runs in its own transaction
 * (on PostgreSQL a batch of up to 1,000 events is then a single statement: one round trip). When the connection is
 * already in a transaction (autocommit off, for example the connection Spring's
 * {@code TransactionAwareDataSourceProxy} binds to a {@code @Transactional} method), the append joins it and
 * neither commits nor rolls back: the events commit, or vanish, with the caller's other changes. In a joined
 * transaction the version is read after the append lock is taken (on MySQL and MariaDB with a locking read, which
 * sees past a REPEATABLE READ snapshot), so a {@link ConcurrencyConflictException} leaves the transaction usable
 * and holding the append lock: a retry that reloads with {@link #loadLatest} succeeds. When the version read is
 * stale all the same (REPEATABLE READ or SERIALIZABLE on PostgreSQL or H2), the insert meets the unique key and
 * the conflict is a {@link dev.eventsource.StaleReadConflictException}: roll the transaction back (PostgreSQL has
 * already aborted it) and run it again. After a {@link JdbcStoreException}, roll it back too.
 *
 * <h2>Global positions: never skipping a late commit</h2>
 * An id or position drawn at insert becomes visible at commit, so without care a reader of {@link #readAll} could
 * pass position 11 and later find a committed 10. How each database prevents it:
 * <ul>
 *   <li><b>PostgreSQL: numbered after commit.</b> An append inserts its rows without a position and waits only for
 *   appends to the same aggregate (a transaction-scoped advisory lock per aggregate), so appends to different
 *   aggregates commit in parallel, and an open transaction, even one idle for minutes, delays no other writer.
 *   {@link #readAll} and {@link #lastPosition} first number the rows committed since the last pass, in insertion
 *   order, in a short transaction under a per-table lock, then read {@code position > ?}: a row committed late is
 *   numbered late, above everything returned before, and nothing open holds readers back (see
 *   {@link PostgresSequencer}). Positions have no gaps. An event is in the global stream from its first read
 *   after its commit; until then (and in {@link #load}) its position is 0. Reads inside the caller's transaction
 *   do not number (a numbering pass commits on its own).</li>
 *   <li><b>MySQL, MariaDB and H2: the append lock.</b> Every append takes a row lock on the one-row table
 *   {@code <table>_lock} before inserting and holds it until its transaction ends, so positions (the identity
 *   column) are assigned in commit order. Appends to the table therefore serialise, for as long as the appending
 *   transaction lasts: keep transactions that append short. Positions may have gaps (a rolled-back append
 *   consumes its identity values), but never appear late.</li>
 * </ul>
 *
 * <h2>Columns</h2>
 * Aggregate ids and type names are at most {@value #MAX_ID_LENGTH} Java characters (UTF-16 units); times are kept
 * in UTC at microsecond precision; payloads in {@code jsonb} (PostgreSQL) or {@code JSON} for
 * {@link PayloadFormat#JSON}, in a binary column for {@link PayloadFormat#BINARY}; metadata as a JSON object.
 * What the columns cannot hold (NUL characters, lone surrogates, ids, payloads or metadata over the limits of
 * {@link EventLimits}, checked in JSON payloads too) is an {@link dev.eventsource.InvalidEventException} before
 * any connection is taken, and nothing is stored, as on every store.
 */
public final class JdbcStore implements Store {

    /** The default events table. */
    public static final String DEFAULT_TABLE_NAME = "eventsource_events";

    /** The default number of rows {@link #readAll} fetches from the database at a time. */
    public static final int DEFAULT_FETCH_SIZE = 500;

    /** The longest aggregate id or type name the columns hold, in characters ({@link EventLimits#MAX_ID_LENGTH}). */
    public static final int MAX_ID_LENGTH = EventLimits.MAX_ID_LENGTH;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EMPTY_METADATA = "{}";
    private static final TypeReference<Map<String, String>> METADATA_TYPE = new TypeReference<>() {
    };

    private static final String INSERT = """
            INSERT INTO %1$s (aggregate_id, version, type, occurred_at, payload, metadata, aggregate_type, command_id)
            VALUES\s""";
    private static final String INSERT_ROW = "(?, ?, ?, ?, %1$s, %2$s, ?, ?)";
    /** Keeps a statement's parameters (eight per row) far below every driver's limit (PostgreSQL: 32,767). */
    private static final int MAX_ROWS_PER_INSERT = 1000;
    private static final int PREBUILT_INSERTS = 16;
    private static final String HEAD = """
            SELECT version, aggregate_type FROM %1$s WHERE aggregate_id = ? ORDER BY version DESC LIMIT 1""";
    private static final String LOAD = """
            SELECT position, version, type, occurred_at, payload, metadata, aggregate_type, command_id
            FROM %1$s
            WHERE aggregate_id = ? AND version >= ? AND version <= ?
            ORDER BY version""";
    /**
     * Turns a read of the events table into a locking read (MySQL, MariaDB): answered from the latest committed
     * rows rather than the transaction's snapshot. Taken only under the append lock; see {@link #loadLatest}.
     */
    private static final String LOCKING_READ = " LOCK IN SHARE MODE";
    private static final String EXISTS = """
            SELECT version FROM %1$s WHERE aggregate_id = ? LIMIT 1""";
    private static final String LAST_POSITION = """
            SELECT COALESCE(MAX(position), 0) FROM %1$s""";
    private static final String READ_ALL = """
            SELECT position, aggregate_id, version, type, occurred_at, payload, metadata, aggregate_type, command_id
            FROM %1$s
            WHERE position > ?
            ORDER BY position
            LIMIT ?""";

    private final DataSource dataSource;
    private final TableName table;
    private final JdbcDialect dialect;
    private final PayloadFormat payloadFormat;
    private final int fetchSize;

    private final String insertPrefix;
    private final String insertRow;
    private final String[] insertSqlBySize;
    private final String headSql;
    private final String loadSql;
    private final String lockingLoadSql;
    private final String lockingHeadSql;
    private final String existsSql;
    private final String readAllSql;
    private final String lastPositionSql;
    private final String lockSql;
    private final String lockAndReadVersionSql;
    private final JdbcDialect.LockedInsert lockedInsert;
    private final String[] lockedInsertBySize;
    private final PostgresSequencer sequencer;

    private JdbcStore(Builder builder, TableName table, JdbcDialect dialect) {
        this.dataSource = builder.dataSource;
        this.table = table;
        this.dialect = dialect;
        this.payloadFormat = builder.payloadFormat;
        this.fetchSize = builder.fetchSize;
        String payloadParameter = payloadFormat == PayloadFormat.JSON ? dialect.jsonParameter() : "?";
        this.insertPrefix = INSERT.formatted(table);
        this.insertRow = INSERT_ROW.formatted(payloadParameter, dialect.jsonParameter());
        this.insertSqlBySize = new String[PREBUILT_INSERTS];
        for (int rows = 1; rows <= PREBUILT_INSERTS; rows++) {
            insertSqlBySize[rows - 1] = insertPrefix + String.join(", ", Collections.nCopies(rows, insertRow));
        }
        this.headSql = HEAD.formatted(table);
        this.loadSql = LOAD.formatted(table);
        this.lockingLoadSql = loadSql + LOCKING_READ;
        this.lockingHeadSql = headSql + LOCKING_READ;
        this.existsSql = EXISTS.formatted(table);
        this.readAllSql = READ_ALL.formatted(table);
        this.lastPositionSql = LAST_POSITION.formatted(table);
        this.lockSql = dialect.lockSql(table);
        this.lockAndReadVersionSql = dialect.lockAndReadVersionSql(table);
        this.lockedInsert = dialect.lockedInsert(table, payloadFormat);
        this.sequencer = dialect.numbersAfterCommit() ? new PostgresSequencer(table) : null;
        this.lockedInsertBySize = new String[lockedInsert == null ? 0 : PREBUILT_INSERTS];
        for (int rows = 1; rows <= lockedInsertBySize.length; rows++) {
            lockedInsertBySize[rows - 1] = lockedInsertSql(rows);
        }
    }

    /**
     * Starts a store on a DataSource.
     *
     * @param dataSource where the events table lives; a pooled DataSource, or a transaction-aware proxy to join
     *     the caller's transactions
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** @return the dialect in use, given or detected */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** @return the events table, as configured (possibly schema-qualified) */
    public String tableName() {
        return table.qualified();
    }

    /** @return the payload format the table's payload column is made for */
    public PayloadFormat payloadFormat() {
        return payloadFormat;
    }

    /**
     * Creates the events table, its constraints and, on MySQL, MariaDB and H2, the lock table and its row, where
     * missing; running it again changes nothing. The statements are those of the shipped
     * {@code schema-<platform>.sql} scripts, for this store's table name and payload format.
     *
     * @throws JdbcStoreException when a statement fails (for example a missing schema or privilege)
     */
    public void createSchema() {
        try (Connection connection = dataSource.getConnection()) {
            boolean mariaDb = dialect == JdbcDialect.MYSQL && connection.getMetaData().getDatabaseProductName()
                    .toLowerCase(Locale.ROOT).contains("mariadb");
            try (Statement statement = connection.createStatement()) {
                for (String ddl : dialect.schema(table, payloadFormat, mariaDb)) {
                    statement.execute(ddl);
                }
            }
        } catch (SQLException e) {
            throw new JdbcStoreException("Cannot create the event store schema for table " + table + " on "
                    + dialect.platform() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that the tables this store uses exist with the columns it needs, with one cheap query per table; for
     * a start-up check after the schema was created (by {@link #createSchema()}, a script or a migration tool).
     *
     * @param checkpoints whether to check the checkpoints table of {@link #checkpointStore()} too
     * @return what is missing, if anything
     * @throws JdbcStoreException when the database cannot be reached or refuses the check for another reason
     */
    public JdbcSchemaCheck verifySchema(boolean checkpoints) {
        return JdbcSchemaCheck.run(dataSource, table, dialect, checkpoints);
    }

    @Override
    public boolean save(String aggregateId, List<Record> records) {
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
                    rollback(connection, e);
                    restoreAutoCommit(connection, e);
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
                index = bind(insert, index, record);
            }
            insert.setString(index, aggregateId);
            insert.setLong(index + 1, records.get(0).version() - 1);
            insert.setString(index + 2, aggregateId);
            insert.setLong(index + 3, records.get(0).version() - 1);
            insert.setString(index + 4, records.get(0).aggregateType());
            return insert.executeUpdate() == records.size();
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
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

        Refused(long versionSeen, SQLException cause) {
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
                    index = bind(insert, index, record);
                }
                insert.executeUpdate();
            } catch (SQLException e) {
                if (isUniqueViolation(e)) {
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

    private int bind(PreparedStatement insert, int index, Record record) throws SQLException {
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
     * Takes the lock that serialises appends to the table until the transaction ends (positions must follow
     * commit order so readAll never skips a late commit; see the class comment), and reads the aggregate's
     * version and stream type: one statement where the dialect can, else two. A version read stale by the lock
     * wait is caught by the unique key at insert.
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
    private record Head(long version, String type) {

        /** @throws AggregateNotFoundException when the stream belongs to another aggregate type */
        void requireType(List<Record> records) {
            if (version > 0 && type != null && !type.isEmpty() && !type.equals(records.get(0).aggregateType())) {
                throw Batches.wrongStreamType(records, type);
            }
        }
    }

    /** @return whether the batch is already stored: same versions, same types, equal payloads */
    private boolean isStored(Connection connection, String aggregateId, List<Record> records) throws SQLException {
        List<Record> stored = readRange(connection, loadSql, aggregateId, records.get(0).version(),
                records.get(records.size() - 1).version());
        if (stored.size() != records.size()) {
            return false;
        }
        for (int i = 0; i < records.size(); i++) {
            Record mine = records.get(i);
            Record theirs = stored.get(i);
            if (mine.version() != theirs.version() || !mine.type().equals(theirs.type())
                    || !samePayload(mine.data(), theirs.data())) {
                return false;
            }
        }
        return true;
    }

    private boolean samePayload(byte[] mine, byte[] stored) {
        if (Arrays.equals(mine, stored)) {
            return true;
        }
        if (payloadFormat != PayloadFormat.JSON) {
            return false;
        }
        // jsonb and MySQL's JSON normalise the text (spacing, key order), so compare the parsed values.
        try {
            return JSON.readTree(mine).equals(JSON.readTree(stored));
        } catch (JacksonException e) {
            return false;
        }
    }

    @Override
    public History load(String aggregateId, long fromVersion, long toVersion) {
        Batches.validateRange(aggregateId, fromVersion, toVersion);
        // One statement, no transaction of its own and no fetch size, unlike readAll: a history is materialised
        // whole anyway, so reading it in one round trip beats a cursor's round trips and a COMMIT (PostgreSQL
        // streams by fetch size only inside a transaction).
        try (Connection connection = dataSource.getConnection()) {
            return load(connection, loadSql, aggregateId, fromVersion, toVersion);
        } catch (SQLException e) {
            throw loadFailed(aggregateId, fromVersion, toVersion, e);
        }
    }

    /**
     * {@inheritDoc}
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
    @Override
    public History loadLatest(String aggregateId, long fromVersion, long toVersion) {
        if (dialect != JdbcDialect.MYSQL) {
            return load(aggregateId, fromVersion, toVersion);
        }
        Batches.validateRange(aggregateId, fromVersion, toVersion);
        try (Connection connection = dataSource.getConnection()) {
            if (connection.getAutoCommit()) {
                return load(connection, loadSql, aggregateId, fromVersion, toVersion);
            }
            dialect.lock(connection, lockSql, table, aggregateId);
            return load(connection, lockingLoadSql, aggregateId, fromVersion, toVersion);
        } catch (SQLException e) {
            throw loadFailed(aggregateId, fromVersion, toVersion, e);
        }
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
                while (rows.next()) {
                    records.add(toRecord(rows, aggregateId, 2));
                }
            }
        }
        return records;
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

    @Override
    public List<Record> readAll(long afterPosition, int limit) {
        Batches.validateStreamRead(afterPosition, limit);
        try {
            return read(connection -> {
                List<Record> found = new ArrayList<>(Math.min(limit, fetchSize));
                try (PreparedStatement statement = connection.prepareStatement(readAllSql)) {
                    statement.setFetchSize(Math.min(limit, fetchSize));
                    statement.setLong(1, afterPosition);
                    statement.setInt(2, limit);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            found.add(toRecord(rows, rows.getString(2), 3));
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

    @Override
    public long lastPosition() {
        try (Connection connection = dataSource.getConnection()) {
            numberCommittedEvents(connection);
            try (PreparedStatement statement = connection.prepareStatement(lastPositionSql);
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new JdbcStoreException("Reading the last position of table " + table + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Returns a checkpoint store in the table {@code <events table>_checkpoints} (created by {@link #createSchema()})
     * on this store's DataSource, so that with a transaction-aware DataSource a checkpoint commits together with
     * the read-model changes made in the same transaction.
     *
     * @return the checkpoint store of this events table
     */
    public JdbcCheckpointStore checkpointStore() {
        return new JdbcCheckpointStore(dataSource, table, dialect);
    }

    /**
     * Returns whether {@link #listenForAppends} wakes listeners early: on PostgreSQL a numbering pass that numbered
     * events notifies the table's channel at its commit, and the listener looks for committed events waiting for a
     * number a few times a second. Other databases have no such mechanism; subscriptions poll there.
     *
     * @return whether appends by any process are announced
     */
    public boolean notifiesAppends() {
        return dialect == JdbcDialect.POSTGRESQL;
    }

    /**
     * Calls {@code onAppend} soon after any process commits an append to this table, on PostgreSQL (LISTEN on a
     * connection held from the DataSource by a daemon thread, reconnecting after failures, which also polls for
     * committed events not yet numbered every {@value PostgresAppendListener#WAIT_MILLIS} ms); elsewhere nothing
     * happens. A notification is only a hint to read now: listeners must still read from their checkpoint, and
     * the callback is also called after every (re)connection, since notifications sent while disconnected are
     * lost.
     *
     * @param onAppend a quick, non-blocking action, such as waking a subscription
     * @return what stops the listening and returns the connection
     */
    public AutoCloseable listenForAppends(Runnable onAppend) {
        Objects.requireNonNull(onAppend, "onAppend");
        if (!notifiesAppends()) {
            return () -> { };
        }
        return PostgresAppendListener.start(dataSource, table, onAppend, sequencer.pendingSql());
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
                rollback(connection, e);
                restoreAutoCommit(connection, e);
                throw e;
            }
        }
    }

    /**
     * Maps a row whose columns from {@code versionColumn} are version, type, occurred_at, payload, metadata,
     * aggregate_type, command_id.
     */
    private Record toRecord(ResultSet rows, String aggregateId, int versionColumn) throws SQLException {
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
                type, at, data, metadata, rows.getString(versionColumn + 6), position);
    }

    static boolean isUniqueViolation(SQLException failure) {
        // Drivers chain the server's error through causes or getNextException; a few links suffice.
        Throwable link = failure;
        for (int depth = 0; link != null && depth < 8; depth++) {
            if (link instanceof SQLException sql && isUniqueState(sql)) {
                return true;
            }
            Throwable next = link instanceof SQLException sql && sql.getNextException() != null
                    ? sql.getNextException() : link.getCause();
            link = next == link ? null : next;
        }
        return false;
    }

    private static boolean isUniqueState(SQLException e) {
        // 23505: PostgreSQL and H2; 23000 with error 1062: MySQL and MariaDB.
        return "23505".equals(e.getSQLState())
                || ("23000".equals(e.getSQLState()) && e.getErrorCode() == 1062);
    }

    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection connection, Throwable failure) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "JdbcStore[" + dialect.platform() + ", table " + table + ", " + payloadFormat + "]";
    }

    /** Configures a {@link JdbcStore}; every setting has a default except the DataSource. */
    public static final class Builder {

        private final DataSource dataSource;
        private String tableName = DEFAULT_TABLE_NAME;
        private JdbcDialect dialect;
        private PayloadFormat payloadFormat = PayloadFormat.JSON;
        private int fetchSize = DEFAULT_FETCH_SIZE;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Sets the events table; validated by {@link #build()}.
         *
         * @param tableName a plain or schema-qualified SQL identifier; default {@value JdbcStore#DEFAULT_TABLE_NAME}
         * @return this builder
         */
        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        /**
         * Sets the dialect instead of detecting it from the database's metadata.
         *
         * @param dialect the dialect, or null to detect it
         * @return this builder
         */
        public Builder dialect(JdbcDialect dialect) {
            this.dialect = dialect;
            return this;
        }

        /**
         * Sets the format of the payloads, which must match the serializer's {@code format()}; it decides the
         * payload column's type.
         *
         * @param payloadFormat the format; default JSON
         * @return this builder
         */
        public Builder payloadFormat(PayloadFormat payloadFormat) {
            this.payloadFormat = Objects.requireNonNull(payloadFormat, "payloadFormat");
            return this;
        }

        /**
         * Sets how many rows {@link JdbcStore#readAll} fetches from the database at a time (a load reads an
         * aggregate's history in one round trip).
         *
         * @param fetchSize at least 1; default {@value JdbcStore#DEFAULT_FETCH_SIZE}
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder fetchSize(int fetchSize) {
            if (fetchSize < 1) {
                throw new IllegalArgumentException("fetchSize must be at least 1, got " + fetchSize);
            }
            this.fetchSize = fetchSize;
            return this;
        }

        /**
         * Validates the settings and builds the store; detects the dialect when none was set.
         *
         * @return the store
         * @throws InvalidTableNameException when the table name is not a plain or schema-qualified identifier
         * @throws JdbcStoreException when the dialect must be detected and the database is unreachable or unsupported
         */
        public JdbcStore build() {
            TableName table = TableName.of(tableName);
            JdbcDialect resolved = dialect != null ? dialect : JdbcDialect.detect(dataSource);
            return new JdbcStore(this, table, resolved);
        }
    }
}
