package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.EventLimits;
import dev.eventsource.History;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.SnapshotAndHistory;
import dev.eventsource.SnapshotStore;
import dev.eventsource.Store;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 * transaction the version is read after the append lock is taken (the aggregate's on PostgreSQL, the table's
 * elsewhere; on MySQL and MariaDB with a locking read, which sees past a REPEATABLE READ snapshot), so a
 * {@link ConcurrencyConflictException} leaves the transaction usable and holding the append lock: a retry that reloads with {@link #loadLatest} succeeds. When the version read is
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

    /**
     * How long {@link #listenForAppends(Runnable)} keeps one connection before it gives it back to the DataSource and
     * takes another: 5 minutes, well within HikariCP's default {@code maxLifetime} of 30 minutes.
     */
    public static final Duration DEFAULT_LISTENER_CONNECTION_LIFETIME = Duration.ofMinutes(5);

    private final DataSource dataSource;
    private final TableName table;
    private final JdbcDialect dialect;
    private final PayloadFormat payloadFormat;
    private final @Nullable PostgresSequencer sequencer;
    private final JdbcReads reads;
    private final JdbcAppends appends;

    private JdbcStore(Builder builder, TableName table, JdbcDialect dialect) {
        this.dataSource = builder.dataSource;
        this.table = table;
        this.dialect = dialect;
        this.payloadFormat = builder.payloadFormat;
        this.sequencer = dialect.numbersAfterCommit() ? new PostgresSequencer(table) : null;
        JdbcRows mapper = new JdbcRows(table, dialect, payloadFormat);
        this.reads = new JdbcReads(dataSource, table, dialect, mapper, builder.fetchSize, sequencer);
        this.appends = new JdbcAppends(dataSource, table, dialect, payloadFormat, mapper, reads);
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

    /**
     * @return the table of the events subscriptions passed over, {@code <events table>_dead_letters}, which
     *     {@link #createSchema()} creates beside the events table (schema version 6); this store neither reads nor
     *     writes it
     */
    public String deadLetterTableName() {
        return table.deadLetterTable();
    }

    /** @return the events table, as configured (possibly schema-qualified) */
    public String tableName() {
        return table.qualified();
    }

    /**
     * @return the table of subscription checkpoints and leases that {@link #createSchema()} creates beside the events
     *     table, {@code <events table>_checkpoints}; this store neither reads nor writes it
     */
    public String checkpointTableName() {
        return table.checkpointTable();
    }

    /** @return the events table, validated */
    TableName table() {
        return table;
    }

    /** @return the DataSource this store takes its connections from, as given to the builder */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return the payload format the table's payload column is made for */
    public PayloadFormat payloadFormat() {
        return payloadFormat;
    }

    /**
     * @return the table of snapshots that {@link #createSchema()} creates beside the events table,
     *     {@code <events table>_snapshots}, which {@link JdbcSnapshotStore} reads and writes
     */
    public String snapshotTableName() {
        return table.snapshotTable();
    }

    /**
     * Creates the events table, its constraints and indexes, the checkpoints and snapshots tables and, on MySQL,
     * MariaDB and H2, the lock table and its row, where missing; running it again changes nothing. The statements are those of the shipped
     * {@code schema-<platform>.sql} scripts, for this store's table name and payload format. An existing table of an
     * earlier layout is left as it is: {@link #verifySchema} names the migration scripts it needs.
     *
     * @throws JdbcStoreException when a statement fails (for example a missing schema or privilege)
     */
    public void createSchema() {
        try (Connection connection = dataSource.getConnection()) {
            boolean mariaDb = dialect == JdbcDialect.MYSQL && connection.getMetaData().getDatabaseProductName()
                    .toLowerCase(Locale.ROOT).contains("mariadb");
            // An index on a column that an events table of an earlier layout lacks is passed over, leaving the
            // table as it is, for verifySchema to name the migration script that adds both.
            JdbcSchemaScripts.execute(connection, dialect.schema(table, payloadFormat, mariaDb));
        } catch (SQLException e) {
            throw new JdbcStoreException("Cannot create the event store schema for table " + table + " on "
                    + dialect.platform() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that the tables this store uses exist with the columns it needs, with one cheap query per table; for
     * a start-up check after the schema was created (by {@link #createSchema()}, a script or a migration tool). The
     * snapshots table ({@link #snapshotTableName()}) is part of the layout and always checked: a database of the v4
     * layout is told to run {@code migrate-v5-<platform>.sql}.
     *
     * @param checkpoints whether to check the checkpoints table ({@link #checkpointTableName()}) too
     * @return what is missing, if anything
     * @throws JdbcStoreException when the database cannot be reached or refuses the check for another reason
     */
    public JdbcSchemaCheck verifySchema(boolean checkpoints) {
        return JdbcSchemaCheck.run(dataSource, table, dialect, checkpoints);
    }

    @Override
    public boolean save(String aggregateId, List<Record> records) {
        return appends.save(aggregateId, records);
    }

    @Override
    public History load(String aggregateId, long fromVersion, long toVersion) {
        return reads.load(aggregateId, fromVersion, toVersion);
    }

    /**
     * {@inheritDoc}
     *
     * <p>On MySQL and MariaDB inside a caller's transaction (autocommit off), InnoDB's plain reads at the default
     * REPEATABLE READ come from the snapshot of the transaction's first read, so a reload after a conflict would
     * see the same old version again and again. This method therefore takes the append lock (which the
     * transaction would take at its next append anyway, and keeps until it ends) and then reads with a locking
     * read, which InnoDB answers from the latest committed rows. Everywhere else (an autocommit connection,
     * PostgreSQL and H2 at READ COMMITTED) a plain read already sees the latest commit.
     */
    @Override
    public History loadLatest(String aggregateId, long fromVersion, long toVersion) {
        return reads.loadLatest(aggregateId, fromVersion, toVersion);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One query, an index lookup on {@code (aggregate_id, command_id)} (schema v5), on the caller's connection
     * when the DataSource hands out one in a transaction, as {@link #load} does.
     *
     * @throws IllegalArgumentException when the aggregate id is blank or holds a NUL or a lone surrogate
     * @throws JdbcStoreException when the database fails
     */
    @Override
    public boolean hasCommand(String aggregateId, String commandId, long toVersion) {
        return reads.hasCommand(aggregateId, commandId, toVersion);
    }

    /**
     * {@inheritDoc}
     *
     * <p>With the {@link JdbcSnapshotStore} beside this store's table ({@link JdbcSnapshotStore#of}): one query,
     * the events from the snapshot's version on joined with the snapshot's row. Null (read them separately) with
     * another snapshot store, on MySQL and MariaDB for {@code latest} (whose locking read is the events' alone),
     * when nothing is found, and when the query fails (the snapshots table missing, say): the separate reads then
     * report what is wrong, and a snapshot that cannot be read never fails a load.
     */
    @Override
    public @Nullable SnapshotAndHistory loadWithSnapshot(SnapshotStore snapshots, String aggregateType,
                                                         String aggregateId, boolean latest) {
        if (!(snapshots instanceof JdbcSnapshotStore beside) || !beside.isBeside(this)
                || (latest && dialect == JdbcDialect.MYSQL)) {
            return null;
        }
        return reads.loadWithSnapshot(aggregateType, aggregateId);
    }

    @Override
    public List<Record> readAll(long afterPosition, int limit) {
        return reads.readAll(afterPosition, limit);
    }

    @Override
    public long lastPosition() {
        return reads.lastPosition();
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
     * Calls {@code onAppend} soon after any process commits an append to this table, as
     * {@link #listenForAppends(Runnable, Duration)} does with a connection lifetime of
     * {@link #DEFAULT_LISTENER_CONNECTION_LIFETIME}.
     *
     * @param onAppend a quick, non-blocking action, such as waking a subscription
     * @return what stops the listening and returns the connection
     */
    public AutoCloseable listenForAppends(Runnable onAppend) {
        return listenForAppends(onAppend, DEFAULT_LISTENER_CONNECTION_LIFETIME);
    }

    /**
     * Calls {@code onAppend} soon after any process commits an append to this table, on PostgreSQL (LISTEN on a
     * connection taken from the DataSource by a daemon thread, which also polls for committed events not yet
     * numbered every {@value PostgresAppendListener#WAIT_MILLIS} ms); elsewhere nothing happens. The connection is
     * given back and another one taken every {@code connectionLifetime}, so that a pool can retire it: choose less
     * than the pool's maximum lifetime (HikariCP's {@code maxLifetime}). After a failure it reconnects with a
     * backoff of 0.5 s doubling up to 30 s. A notification is only a hint to read now: listeners must still read
     * from their checkpoint, and the callback is also called after every (re)connection, since notifications sent
     * while disconnected are lost.
     *
     * @param onAppend a quick, non-blocking action, such as waking a subscription
     * @param connectionLifetime how long to keep one connection; positive
     * @return what stops the listening and returns the connection
     * @throws IllegalArgumentException when {@code connectionLifetime} is zero or negative
     */
    public AutoCloseable listenForAppends(Runnable onAppend, Duration connectionLifetime) {
        Objects.requireNonNull(onAppend, "onAppend");
        Objects.requireNonNull(connectionLifetime, "connectionLifetime");
        if (connectionLifetime.isNegative() || connectionLifetime.isZero()) {
            throw new IllegalArgumentException("The listener's connection lifetime must be positive, got "
                    + connectionLifetime);
        }
        if (!notifiesAppends()) {
            return () -> { };
        }
        return PostgresAppendListener.start(dataSource, table, onAppend, sequencer.pendingSql(), connectionLifetime);
    }

    @Override
    public String toString() {
        return "JdbcStore[" + dialect.platform() + ", table " + table + ", " + payloadFormat + "]";
    }

    /** Configures a {@link JdbcStore}; every setting has a default except the DataSource. */
    public static final class Builder {

        private final DataSource dataSource;
        private String tableName = DEFAULT_TABLE_NAME;
        private @Nullable JdbcDialect dialect;
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
        public Builder dialect(@Nullable JdbcDialect dialect) {
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
