package dev.eventsource.benchmarks.contender;

import dev.eventsource.Event;
import dev.eventsource.benchmarks.model.AccountOpened;
import dev.eventsource.benchmarks.model.Deposited;
import dev.eventsource.benchmarks.model.Events;
import dev.eventsource.store.jdbc.JdbcStore;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The floor: what a careful developer writes by hand with no framework. Prepared statements with the SQL the
 * JDBC store runs on PostgreSQL (the same select; the same single-statement insert under the same kind of
 * advisory lock, or with {@code lock = false} a plain multi-row insert that only the unique key guards), Jackson
 * for the payloads and a hand-written fold. Its table has the store's schema, under another name; it writes the
 * {@code revision} column (always 1) as the store does.
 *
 * <p>With {@code slim = true} (issue 15) the payloads hold only the event's own fields ({@code owner};
 * {@code amount} and {@code reference}), as this library's payloads do since issue 15: the aggregate id, the
 * version and the time are in the row's columns only, and the fold binds small records of those fields.
 */
final class RawJdbcContender implements Contender {

    private static final String LOAD = """
            SELECT position, version, type, occurred_at, payload, metadata
            FROM %1$s
            WHERE aggregate_id = ? AND version >= ? AND version <= ?
            ORDER BY version""";
    private static final String LOCKED_INSERT_PREFIX = """
            WITH append_lock AS (SELECT pg_advisory_xact_lock(?) AS locked)
            INSERT INTO %1$s (aggregate_id, version, type, revision, occurred_at, payload, metadata, aggregate_type,
                command_id)
            SELECT v.aggregate_id, v.version, v.type, v.revision, v.occurred_at, v.payload, v.metadata,
                v.aggregate_type, v.command_id
            FROM append_lock CROSS JOIN (VALUES\s""";
    private static final String LOCKED_INSERT_ROW =
            "(?, CAST(? AS BIGINT), ?, CAST(? AS INTEGER), CAST(? AS TIMESTAMPTZ), CAST(? AS JSONB), CAST(? AS JSONB),"
                    + " CAST(? AS VARCHAR), CAST(? AS VARCHAR))";
    private static final String LOCKED_INSERT_SUFFIX = """
            ) AS v (aggregate_id, version, type, revision, occurred_at, payload, metadata, aggregate_type,
                command_id)
            WHERE (SELECT COALESCE(MAX(version), 0) FROM %1$s WHERE aggregate_id = ?) = ?""";
    private static final String PLAIN_INSERT_PREFIX = """
            INSERT INTO %1$s (aggregate_id, version, type, revision, occurred_at, payload, metadata, aggregate_type,
                command_id)
            VALUES\s""";
    private static final String PLAIN_INSERT_ROW = "(?, ?, ?, ?, ?, CAST(? AS JSONB), CAST(? AS JSONB), ?, ?)";
    /** The stream type the store records for the benchmark aggregate (its simple class name). */
    private static final String AGGREGATE_TYPE = "Account";
    private static final long LOCK_KEY = 0x5241574A44424CL;

    private final DataSource dataSource;
    private final boolean lock;
    private final boolean slim;
    private final String table;
    private final String loadSql;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ObjectReader openedReader = json.readerFor(AccountOpened.class);
    private final ObjectReader depositedReader = json.readerFor(Deposited.class);
    private final ObjectWriter openedWriter = json.writerFor(AccountOpened.class);
    private final ObjectWriter depositedWriter = json.writerFor(Deposited.class);
    private final ObjectReader openedFieldsReader = json.readerFor(OpenedFields.class);
    private final ObjectReader depositedFieldsReader = json.readerFor(DepositedFields.class);
    private final ObjectWriter openedFieldsWriter = json.writerFor(OpenedFields.class);
    private final ObjectWriter depositedFieldsWriter = json.writerFor(DepositedFields.class);

    /** The own fields of {@link AccountOpened}: a slim payload. */
    record OpenedFields(String owner) {
    }

    /** The own fields of {@link Deposited}: a slim payload. */
    record DepositedFields(long amount, String reference) {
    }

    RawJdbcContender(DataSource dataSource, boolean lock, boolean slim) {
        this.dataSource = dataSource;
        this.lock = lock;
        this.slim = slim;
        this.table = slim ? "raw_slim_events" : lock ? "raw_events" : "raw_plain_events";
        this.loadSql = LOAD.formatted(table);
        // The store's own DDL, under another table name: the same columns, keys and indexes.
        JdbcStore.builder(dataSource).tableName(table).build().createSchema();
    }

    /** The state a hand-written fold keeps. */
    private static final class Account {
        long version;
        String owner;
        long balance;
    }

    @Override
    public void open(String aggregateId, int deposits) {
        try (Connection connection = dataSource.getConnection()) {
            Account account = load(connection, aggregateId);
            if (account.owner != null) {
                throw new IllegalStateException("Account " + aggregateId + " is already open");
            }
            Instant now = Instant.now();
            List<Event> events = new ArrayList<>(1 + deposits);
            events.add(new AccountOpened(aggregateId, 1, now, "owner-" + aggregateId));
            for (int i = 0; i < deposits; i++) {
                events.add(new Deposited(aggregateId, 2 + i, now, 1, Events.REFERENCE));
            }
            append(connection, aggregateId, 0, events);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void openInTransaction(Connection connection, String aggregateId) {
        try {
            if (load(connection, aggregateId).owner != null) {
                throw new IllegalStateException("Account " + aggregateId + " is already open");
            }
            append(connection, aggregateId, 0,
                    List.of(new AccountOpened(aggregateId, 1, Instant.now(), "owner-" + aggregateId)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void deposit(String aggregateId, long amount) {
        try (Connection connection = dataSource.getConnection()) {
            Account account = load(connection, aggregateId);
            if (account.owner == null) {
                throw new IllegalStateException("Account " + aggregateId + " is not open");
            }
            append(connection, aggregateId, account.version, List.of(
                    new Deposited(aggregateId, account.version + 1, Instant.now(), amount, Events.REFERENCE)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long balance(String aggregateId) {
        try (Connection connection = dataSource.getConnection()) {
            Account account = load(connection, aggregateId);
            if (account.version == 0) {
                throw new IllegalStateException("No account " + aggregateId);
            }
            return account.balance;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void seed(String aggregateId, int events) {
        List<Event> history = Events.history(aggregateId, events);
        try (Connection connection = dataSource.getConnection()) {
            for (int from = 0; from < history.size(); from += 1000) {
                append(connection, aggregateId, from, history.subList(from, Math.min(history.size(), from + 1000)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Account load(Connection connection, String aggregateId) throws SQLException {
        Account account = new Account();
        try (PreparedStatement statement = connection.prepareStatement(loadSql)) {
            statement.setString(1, aggregateId);
            statement.setLong(2, 1);
            statement.setLong(3, Long.MAX_VALUE);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    account.version = rows.getLong(2);
                    switch (rows.getString(3)) {
                        case "AccountOpened" -> account.owner = slim
                                ? openedFieldsReader.<OpenedFields>readValue(rows.getString(5)).owner()
                                : openedReader.<AccountOpened>readValue(rows.getString(5)).owner();
                        case "Deposited" -> account.balance += slim
                                ? depositedFieldsReader.<DepositedFields>readValue(rows.getString(5)).amount()
                                : depositedReader.<Deposited>readValue(rows.getString(5)).amount();
                        default -> throw new IllegalStateException("Unknown event type " + rows.getString(3));
                    }
                }
            }
        }
        return account;
    }

    private void append(Connection connection, String aggregateId, long expectedVersion, List<Event> events)
            throws SQLException {
        String rows = String.join(", ", Collections.nCopies(events.size(), lock ? LOCKED_INSERT_ROW : PLAIN_INSERT_ROW));
        String sql = lock ? LOCKED_INSERT_PREFIX.formatted(table) + rows + LOCKED_INSERT_SUFFIX.formatted(table)
                : PLAIN_INSERT_PREFIX.formatted(table) + rows;
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int index = 1;
            if (lock) {
                insert.setLong(index++, LOCK_KEY);
            }
            for (Event event : events) {
                insert.setString(index++, aggregateId);
                insert.setLong(index++, event.version());
                insert.setString(index++, event.getClass().getSimpleName());
                insert.setInt(index++, 1);
                insert.setObject(index++, OffsetDateTime.ofInstant(event.at().truncatedTo(ChronoUnit.MICROS),
                        ZoneOffset.UTC));
                insert.setString(index++, payload(event));
                insert.setString(index++, "{}");
                insert.setString(index++, AGGREGATE_TYPE);
                insert.setNull(index++, Types.VARCHAR);
            }
            if (lock) {
                insert.setString(index++, aggregateId);
                insert.setLong(index, expectedVersion);
            }
            if (insert.executeUpdate() != events.size()) {
                throw new IllegalStateException("Concurrency conflict on " + aggregateId + " at " + expectedVersion);
            }
        }
    }

    private String payload(Event event) {
        if (event instanceof Deposited deposited) {
            return slim ? depositedFieldsWriter.writeValueAsString(
                    new DepositedFields(deposited.amount(), deposited.reference()))
                    : depositedWriter.writeValueAsString(deposited);
        }
        AccountOpened opened = (AccountOpened) event;
        return slim ? openedFieldsWriter.writeValueAsString(new OpenedFields(opened.owner()))
                : openedWriter.writeValueAsString(opened);
    }

    @Override
    public void close() {
    }
}
