package dev.eventsource.subscription.jdbc;

import dev.eventsource.Record;
import dev.eventsource.internal.Sql;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.store.jdbc.JdbcStoreException;
import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.DeadLetterStore;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Dead letters in the table {@code <events table>_dead_letters} (schema version 6), created with the events table
 * by {@link JdbcStore#createSchema()} and the shipped schema scripts; get one with {@link #of(JdbcStore)}. One row
 * per event a subscription passed over: its coordinates (position, aggregate type and id, version, type), the error
 * and when ({@code recorded_at}, epoch milliseconds); never the payload, which stays in the events table. On the
 * events store's DataSource, so that with a transaction-aware DataSource a dead letter commits with the checkpoint
 * that moves past its event.
 */
public final class JdbcDeadLetterStore implements DeadLetterStore {

    private static final String COLUMNS = "id, subscription, position, aggregate_type, aggregate_id, version,"
            + " event_type, failure, recorded_at";
    private static final String INSERT = """
            INSERT INTO %1$s (subscription, position, aggregate_type, aggregate_id, version, event_type, failure,
                recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String LIST = "SELECT " + COLUMNS + " FROM %1$s WHERE subscription = ? ORDER BY position, id";
    private static final String FIND = "SELECT " + COLUMNS + " FROM %1$s WHERE subscription = ? AND id = ?";
    private static final String COUNT = "SELECT COUNT(*) FROM %1$s WHERE subscription = ?";
    private static final String DELETE = "DELETE FROM %1$s WHERE subscription = ? AND id = ?";
    private static final String DELETE_AFTER = "DELETE FROM %1$s WHERE subscription = ? AND position > ?";

    private final DataSource dataSource;
    private final String table;
    private final Clock clock;
    private final String insertSql;
    private final String listSql;
    private final String findSql;
    private final String countSql;
    private final String deleteSql;
    private final String deleteAfterSql;

    private JdbcDeadLetterStore(DataSource dataSource, String table, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = table;
        this.clock = clock;
        this.insertSql = INSERT.formatted(table);
        this.listSql = LIST.formatted(table);
        this.findSql = FIND.formatted(table);
        this.countSql = COUNT.formatted(table);
        this.deleteSql = DELETE.formatted(table);
        this.deleteAfterSql = DELETE_AFTER.formatted(table);
    }

    /**
     * Returns the dead-letter store in the table {@code <events table>_dead_letters} on the events store's
     * DataSource.
     *
     * @param events the store of the events table the dead letters sit beside
     * @return the dead-letter store of that events table
     */
    public static JdbcDeadLetterStore of(JdbcStore events) {
        Objects.requireNonNull(events, "events");
        return new JdbcDeadLetterStore(events.dataSource(), events.deadLetterTableName(), Clock.systemUTC());
    }

    /** @return the dead letters table */
    public String tableName() {
        return table;
    }

    @Override
    public long add(String subscription, Record event, String error) {
        String text = DeadLetter.cut(error);
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(insertSql, new String[] {"id"})) {
                insert.setString(1, subscription);
                insert.setLong(2, event.position());
                insert.setString(3, event.aggregateType() == null ? "" : event.aggregateType());
                insert.setString(4, event.aggregateId());
                insert.setLong(5, event.version());
                insert.setString(6, event.type());
                insert.setString(7, text);
                insert.setLong(8, clock.millis());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("the database returned no id for the new row");
                    }
                    return keys.getLong(1);
                }
            }
        }, e -> failure("Recording a dead letter of subscription '" + subscription + "' (position "
                + event.position() + ")", e));
    }

    @Override
    public List<DeadLetter> list(String subscription) {
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(listSql)) {
                select.setString(1, subscription);
                try (ResultSet rows = select.executeQuery()) {
                    List<DeadLetter> letters = new ArrayList<>();
                    while (rows.next()) {
                        letters.add(letter(rows));
                    }
                    return List.copyOf(letters);
                }
            }
        }, e -> failure("Listing the dead letters of subscription '" + subscription + "'", e));
    }

    @Override
    public Optional<DeadLetter> find(String subscription, long id) {
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(findSql)) {
                select.setString(1, subscription);
                select.setLong(2, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(letter(rows)) : Optional.<DeadLetter>empty();
                }
            }
        }, e -> failure("Reading dead letter " + id + " of subscription '" + subscription + "'", e));
    }

    @Override
    public long count(String subscription) {
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(countSql)) {
                select.setString(1, subscription);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        }, e -> failure("Counting the dead letters of subscription '" + subscription + "'", e));
    }

    @Override
    public boolean delete(String subscription, long id) {
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(deleteSql)) {
                delete.setString(1, subscription);
                delete.setLong(2, id);
                return delete.executeUpdate() == 1;
            }
        }, e -> failure("Deleting dead letter " + id + " of subscription '" + subscription + "'", e));
    }

    @Override
    public int deleteAfter(String subscription, long position) {
        return Sql.run(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(deleteAfterSql)) {
                delete.setString(1, subscription);
                delete.setLong(2, position);
                return delete.executeUpdate();
            }
        }, e -> failure("Deleting the dead letters of subscription '" + subscription + "' after position "
                + position, e));
    }

    private static DeadLetter letter(ResultSet rows) throws SQLException {
        return new DeadLetter(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4),
                rows.getString(5), rows.getLong(6), rows.getString(7), rows.getString(8),
                Instant.ofEpochMilli(rows.getLong(9)));
    }

    private JdbcStoreException failure(String what, SQLException e) {
        return new JdbcStoreException(what + " in table " + table + " failed: " + e.getMessage()
                + " (the table is created by JdbcStore.createSchema() and the schema scripts of version 6; a database"
                + " of an earlier version takes the migrate-v6 script)", e);
    }

    @Override
    public String toString() {
        return "JdbcDeadLetterStore[" + table + "]";
    }
}
