package dev.eventsource.subscription.jdbc;

import dev.eventsource.internal.Sql;
import dev.eventsource.internal.SqlFailures;
import dev.eventsource.store.jdbc.JdbcDialect;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.store.jdbc.JdbcStoreException;
import dev.eventsource.subscription.CheckpointState;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.SubscriptionStatus.State;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.LongSupplier;

/**
 * Checkpoints and leases of subscriptions in the table {@code <events table>_checkpoints}, created with the events
 * table by {@link JdbcStore#createSchema()} and the shipped schema scripts; get one with {@link #of(JdbcStore)}.
 * One row per subscription: its position, the lease owner, and the lease's end in epoch milliseconds; since schema
 * version 6 also its state ({@code RUNNING}, {@code PAUSED}, {@code HALTED}), the operation waiting for the lease
 * holder, and the event it last halted on ({@code failed_position}, {@code failure}, {@code failed_at} in epoch
 * milliseconds).
 *
 * <p>The lease is taken and renewed by conditional UPDATEs, which every supported database evaluates against the
 * latest committed row under its row lock, so two instances can never both take it. Every checkpoint advance is
 * an UPDATE conditioned on the owner (fencing): after another instance took the lease, the old holder's advance
 * changes nothing and its caller must roll back. When the DataSource joins the caller's transaction (Spring's
 * {@code TransactionAwareDataSourceProxy}), {@link #advance} commits with the read-model changes of the batch, and
 * holds the row locked until then, so no one takes the lease mid-commit.
 *
 * <p>Lease ends are timed by the database's clock, never an instance's: every statement computes "now" in SQL
 * ({@code clock_timestamp()} on PostgreSQL, {@code UTC_TIMESTAMP(6)} on MySQL and MariaDB, {@code CURRENT_TIMESTAMP}
 * on H2), so instances whose clocks disagree still agree on when a lease ends, and clock skew between them cannot
 * make two holders. (With a primary and replicas, point every instance at the primary, as for appends.)
 */
public final class JdbcCheckpointStore implements CheckpointStore {

    private static final String SELECT = "SELECT position FROM %1$s WHERE subscription = ?";
    // %2$s is the database's current time in epoch milliseconds; see databaseMillis.
    private static final String INSERT = """
            INSERT INTO %1$s (subscription, position, lease_owner, lease_until, state)
            VALUES (?, ?, ?, %2$s + ?, 'RUNNING')""";
    // state first: MySQL evaluates SET assignments left to right, on the values already assigned. A new holder (a
    // restart of the application, a takeover) retries the event the previous one halted on.
    private static final String TAKE = """
            UPDATE %1$s SET state = CASE WHEN state = 'HALTED' AND (lease_owner IS NULL OR lease_owner <> ?)
                THEN 'RUNNING' ELSE state END, lease_owner = ?, lease_until = %2$s + ?
            WHERE subscription = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < %2$s)""";
    // GREATEST: inside a batch transaction H2's clock reads the transaction's start, which must not pull back the
    // end a renewal set meanwhile.
    private static final String ADVANCE = """
            UPDATE %1$s SET position = ?, lease_until = GREATEST(lease_until, %2$s + ?)
            WHERE subscription = ? AND lease_owner = ?""";
    private static final String RENEW = """
            UPDATE %1$s SET lease_until = %2$s + ? WHERE subscription = ? AND lease_owner = ?""";
    private static final String RELEASE = """
            UPDATE %1$s SET lease_owner = NULL, lease_until = 0 WHERE subscription = ? AND lease_owner = ?""";

    private static final String STATE = """
            SELECT position, lease_owner, lease_until, state, operation, failed_position, failure, failed_at
            FROM %1$s WHERE subscription = ?""";
    private static final String HALT = """
            UPDATE %1$s SET state = 'HALTED', failed_position = ?, failure = ?, failed_at = %2$s
            WHERE subscription = ? AND lease_owner = ?""";

    private final DataSource dataSource;
    private final String table;
    private final String selectSql;
    private final String insertSql;
    private final String takeSql;
    private final String advanceSql;
    private final String renewSql;
    private final String releaseSql;
    private final String stateSql;
    private final String haltSql;

    private JdbcCheckpointStore(DataSource dataSource, String checkpoints, JdbcDialect dialect) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = checkpoints;
        String now = databaseMillis(dialect);
        this.selectSql = SELECT.formatted(checkpoints);
        this.insertSql = INSERT.formatted(checkpoints, now);
        this.takeSql = TAKE.formatted(checkpoints, now);
        this.advanceSql = ADVANCE.formatted(checkpoints, now);
        this.renewSql = RENEW.formatted(checkpoints, now);
        this.releaseSql = RELEASE.formatted(checkpoints);
        this.stateSql = STATE.formatted(checkpoints);
        this.haltSql = HALT.formatted(checkpoints, now);
    }

    /**
     * Returns the checkpoint store in the table {@code <events table>_checkpoints} (created by
     * {@link JdbcStore#createSchema()}) on the events store's DataSource, so that with a transaction-aware DataSource
     * a checkpoint commits together with the read-model changes made in the same transaction.
     *
     * @param events the store of the events table the checkpoints sit beside
     * @return the checkpoint store of that events table
     */
    public static JdbcCheckpointStore of(JdbcStore events) {
        Objects.requireNonNull(events, "events");
        return new JdbcCheckpointStore(events.dataSource(), events.checkpointTableName(), events.dialect());
    }

    /**
     * The database's current time in epoch milliseconds, as an SQL expression independent of the session's time
     * zone. PostgreSQL's {@code clock_timestamp()} is the time of the call, not of the transaction's start.
     */
    static String databaseMillis(JdbcDialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
            case MYSQL -> "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)";
            case H2 -> "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(3)) * 1000 AS BIGINT)";
        };
    }

    /** @return the checkpoints table */
    public String tableName() {
        return table;
    }

    @Override
    public OptionalLong acquire(String subscription, String owner, Duration leaseTime, LongSupplier initialPosition) {
        return Sql.run(dataSource, connection -> {
            if (take(connection, subscription, owner, leaseTime)) {
                return select(connection, subscription);
            }
            if (select(connection, subscription).isPresent()) {
                return OptionalLong.empty();
            }
            long initial = initialPosition.getAsLong();
            try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
                insert.setString(1, subscription);
                insert.setLong(2, initial);
                insert.setString(3, owner);
                insert.setLong(4, leaseTime.toMillis());
                insert.executeUpdate();
                return OptionalLong.of(initial);
            } catch (SQLException e) {
                if (SqlFailures.isUniqueViolation(e)) {
                    // Another instance created it first, and holds its lease.
                    return OptionalLong.empty();
                }
                throw e;
            }
        }, e -> failure("Taking the lease of subscription '" + subscription + "'", e));
    }

    private boolean take(Connection connection, String subscription, String owner, Duration leaseTime)
            throws SQLException {
        try (PreparedStatement take = connection.prepareStatement(takeSql)) {
            take.setString(1, owner);
            take.setString(2, owner);
            take.setLong(3, leaseTime.toMillis());
            take.setString(4, subscription);
            take.setString(5, owner);
            return take.executeUpdate() == 1;
        }
    }

    private OptionalLong select(Connection connection, String subscription) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(selectSql)) {
            select.setString(1, subscription);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    @Override
    public boolean advance(String subscription, String owner, long position, Duration leaseTime) {
        return update(advanceSql, "Storing the checkpoint " + position + " of subscription '" + subscription + "'",
                position, leaseTime.toMillis(), subscription, owner) == 1;
    }

    @Override
    public boolean renew(String subscription, String owner, Duration leaseTime) {
        return update(renewSql, "Renewing the lease of subscription '" + subscription + "'",
                leaseTime.toMillis(), subscription, owner) == 1;
    }

    @Override
    public void release(String subscription, String owner) {
        update(releaseSql, "Releasing the lease of subscription '" + subscription + "'", subscription, owner);
    }

    @Override
    public OptionalLong position(String subscription) {
        return Sql.run(dataSource, connection -> select(connection, subscription),
                e -> failure("Reading the checkpoint of subscription '" + subscription + "'", e));
    }

    @Override
    public Optional<CheckpointState> state(String subscription) {
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(stateSql)) {
                select.setString(1, subscription);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    long position = rows.getLong(1);
                    String owner = rows.getString(2);
                    long leaseUntil = rows.getLong(3);
                    String state = rows.getString(4);
                    String operation = rows.getString(5);
                    long failedPosition = rows.getLong(6);
                    String failure = rows.getString(7);
                    long failedAt = rows.getLong(8);
                    boolean halted = !rows.wasNull();
                    return Optional.of(new CheckpointState(position, owner,
                            owner == null ? null : Instant.ofEpochMilli(leaseUntil), parseState(state), operation,
                            failedPosition, failure, halted ? Instant.ofEpochMilli(failedAt) : null));
                }
            }
        }, e -> failure("Reading the state of subscription '" + subscription + "'", e));
    }

    private static State parseState(@Nullable String value) {
        if (value == null) {
            return State.RUNNING;
        }
        try {
            return State.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return State.RUNNING;
        }
    }

    @Override
    public boolean request(String subscription, Set<State> from, @Nullable State to, @Nullable String operation) {
        StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" SET ");
        if (to != null) {
            sql.append("state = '").append(to.name()).append('\'');
        }
        if (operation != null) {
            sql.append(to != null ? ", " : "").append("operation = ?");
        }
        if (to == null && operation == null) {
            throw new IllegalArgumentException("A request needs a state or an operation");
        }
        // The states are enum names, never input: safe in the SQL text.
        sql.append(" WHERE subscription = ? AND state IN (").append(from.stream().map(state -> "'" + state.name()
                + "'").collect(Collectors.joining(", "))).append(')');
        if (operation != null) {
            sql.append(" AND operation IS NULL");
        }
        String what = "Recording an operation on subscription '" + subscription + "'";
        return operation != null ? update(sql.toString(), what, operation, subscription) == 1
                : update(sql.toString(), what, subscription) == 1;
    }

    @Override
    public boolean complete(String subscription, String owner, String operation, @Nullable State state,
                            long position) {
        StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" SET operation = NULL");
        if (state != null) {
            sql.append(", state = '").append(state.name()).append('\'');
        }
        if (position >= 0) {
            sql.append(", position = ").append(position);
        }
        sql.append(" WHERE subscription = ? AND lease_owner = ? AND operation = ?");
        return update(sql.toString(), "Completing the operation '" + operation + "' of subscription '"
                + subscription + "'", subscription, owner, operation) == 1;
    }

    @Override
    public boolean halt(String subscription, String owner, long position, String error) {
        // The halt's error is the dead letter's error when the event is skipped: the same text, cut the same way.
        return update(haltSql, "Recording the halt of subscription '" + subscription + "'", position,
                DeadLetter.cut(error),
                subscription, owner) == 1;
    }

    private int update(String sql, String what, Object... parameters) {
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    update.setObject(i + 1, parameters[i]);
                }
                return update.executeUpdate();
            }
        }, e -> failure(what, e));
    }

    private JdbcStoreException failure(String what, SQLException e) {
        return new JdbcStoreException(what + " in table " + table + " failed: " + e.getMessage()
                + " (the table is created by JdbcStore.createSchema() and the schema scripts)", e);
    }

    @Override
    public String toString() {
        return "JdbcCheckpointStore[" + table + "]";
    }
}
