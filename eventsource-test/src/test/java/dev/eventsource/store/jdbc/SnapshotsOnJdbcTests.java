package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.CommandResult;
import dev.eventsource.Event;
import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Snapshot;
import dev.eventsource.SnapshotAndHistory;
import dev.eventsource.StateSerializer;
import dev.eventsource.Store;
import dev.eventsource.annotation.AggregateType;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Snapshotting;
import dev.eventsource.store.memory.MemorySnapshotStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Snapshots on the JDBC store, on PostgreSQL, MariaDB and H2: {@link JdbcStore#hasCommand} with one query, the
 * {@link JdbcSnapshotStore}'s own errors and transactions, and repositories that load from snapshots in its table
 * giving the same results as repositories that replay every event.
 */
class SnapshotsOnJdbcTests {

    private static final AtomicInteger DEPOSITS_HANDLED = new AtomicInteger();
    private static final Instant AT = Instant.parse("2025-03-04T05:06:07.654321Z");

    record Open(String aggregateId, String owner) implements Command {
    }

    record Deposit(String aggregateId, long cents, String note, String commandId) implements Command {
    }

    record Opened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    record Deposited(String aggregateId, long version, Instant at, long cents, String note) implements Event {
    }

    /** An account as a user writes it; snapshots every 5 events. */
    @AggregateType("Account")
    @Snapshotting(every = 5)
    static class Account extends AggregateRoot {
        String owner;
        long cents;
        final List<String> notes = new ArrayList<>();
        Map<String, Long> byNote = new TreeMap<>();

        @CommandHandler
        Event handle(Open command) {
            return new Opened(command.aggregateId(), nextVersion(), AT, command.owner());
        }

        @CommandHandler
        Event handle(Deposit command) {
            DEPOSITS_HANDLED.incrementAndGet();
            return new Deposited(command.aggregateId(), nextVersion(), AT, command.cents(), command.note());
        }

        @EventHandler
        void on(Opened event) {
            owner = event.owner();
        }

        @EventHandler
        void on(Deposited event) {
            cents += event.cents();
            notes.add(event.note());
            byNote.merge(event.note(), event.cents(), Long::sum);
        }
    }

    /** The same aggregate type after a release that added a field: its snapshots have another shape. */
    @AggregateType("Account")
    @Snapshotting(every = 5)
    static class AccountWithDeposits extends AggregateRoot {
        String owner;
        long cents;
        int deposits;

        @EventHandler
        void on(Opened event) {
            owner = event.owner();
        }

        @EventHandler
        void on(Deposited event) {
            cents += event.cents();
            deposits++;
        }
    }

    abstract static class OnDatabase {

        private final JdbcDialect dialect;
        private final List<String> tables = new ArrayList<>();
        TestDatabases.Database database;
        JdbcStore store;
        JdbcSnapshotStore snapshots;
        Repository<Account> withSnapshots;
        Repository<Account> plain;

        OnDatabase(JdbcDialect dialect) {
            this.dialect = dialect;
        }

        @BeforeEach
        void createStore() {
            database = TestDatabases.get(dialect);
            String table = TestDatabases.uniqueTable("snap");
            tables.add(table);
            store = JdbcStore.builder(database.pooled()).tableName(table).build();
            store.createSchema();
            snapshots = JdbcSnapshotStore.of(store);
            withSnapshots = Repository.builder(Account.class).store(store).snapshots(snapshots)
                    .snapshotExecutor(Runnable::run).build();
            plain = Repository.builder(Account.class).store(store).build();
        }

        @AfterEach
        void dropTables() {
            if (database != null) {
                for (String table : tables) {
                    TestDatabases.drop(database.pooled(), table);
                }
            }
        }

        // ---- hasCommand ---------------------------------------------------------------------------------------

        @Test
        @DisplayName("hasCommand finds a command id up to a version, not beyond it, not in another aggregate, and"
                + " answers as the default implementation that reads the events does")
        void hasCommandAnswersAsReadingTheEvents() {
            store.save("a-1", record("a-1", 1, "cmd-1"), record("a-1", 2, "cmd-2"), record("a-1", 3, null),
                    record("a-1", 4, "cmd-4"));
            store.save("a-2", record("a-2", 1, "cmd-9"));
            Store readingEvents = readingTheEvents(store);

            assertThat(store.hasCommand("a-1", "cmd-1", 4)).isTrue();
            assertThat(store.hasCommand("a-1", "cmd-2", 2)).as("at toVersion").isTrue();
            assertThat(store.hasCommand("a-1", "cmd-4", 3)).as("beyond toVersion").isFalse();
            assertThat(store.hasCommand("a-1", "cmd-4", Long.MAX_VALUE)).isTrue();
            assertThat(store.hasCommand("a-1", "cmd-9", 10)).as("another aggregate's command").isFalse();
            assertThat(store.hasCommand("a-1", "CMD-1", 10)).as("ids are exact").isFalse();
            assertThat(store.hasCommand("missing", "cmd-1", 10)).as("an aggregate without events").isFalse();
            assertThat(store.hasCommand("a-1", "cmd-1", 0)).as("up to version 0").isFalse();
            assertThat(store.hasCommand("a-1", "cmd\u0000", 10)).as("an id no row can hold").isFalse();
            for (String aggregateId : List.of("a-1", "a-2", "missing")) {
                for (String commandId : List.of("cmd-1", "cmd-2", "cmd-4", "cmd-9", "other")) {
                    for (long toVersion = 0; toVersion <= 5; toVersion++) {
                        assertThat(store.hasCommand(aggregateId, commandId, toVersion))
                                .as("hasCommand(%s, %s, %d)", aggregateId, commandId, toVersion)
                                .isEqualTo(readingEvents.hasCommand(aggregateId, commandId, toVersion));
                    }
                }
            }
            assertThatThrownBy(() -> store.hasCommand("a\u0000", "cmd-1", 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
            assertThatThrownBy(() -> store.hasCommand(" ", "cmd-1", 3)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("hasCommand runs inside the caller's transaction: it sees the transaction's own uncommitted"
                + " events, others do not, and after a rollback nobody does")
        void hasCommandJoinsTheCallersTransaction() throws SQLException {
            store.save("a-1", record("a-1", 1, "cmd-1"));
            try (Connection connection = database.unpooled().getConnection()) {
                connection.setAutoCommit(false);
                JdbcStore joined = JdbcStore.builder(boundTo(connection)).tableName(store.tableName()).build();
                joined.save("a-1", record("a-1", 2, "cmd-2"));

                assertThat(joined.hasCommand("a-1", "cmd-2", 2)).as("inside the transaction").isTrue();
                assertThat(joined.hasCommand("a-1", "cmd-1", 2)).isTrue();
                assertThat(store.hasCommand("a-1", "cmd-2", 2)).as("outside, before the commit").isFalse();
                connection.rollback();
                assertThat(joined.hasCommand("a-1", "cmd-2", 2)).as("after the rollback").isFalse();
            }
            assertThat(store.hasCommand("a-1", "cmd-2", 2)).isFalse();
            assertThat(store.hasCommand("a-1", "cmd-1", 1)).isTrue();
        }

        @Test
        @DisplayName("createSchema creates the index on (aggregate_id, command_id) that hasCommand reads")
        void createSchemaCreatesTheCommandIndex() throws SQLException {
            assertThat(TestDatabases.indexColumns(database.pooled(), dialect, store.tableName(), "command_ix"))
                    .containsExactly("aggregate_id", "command_id");
        }

        // ---- the snapshot store -------------------------------------------------------------------------------

        @Test
        @DisplayName("the snapshot table is named after the events table and lives in its schema")
        void tableNamedAfterTheEvents() {
            String schema = TestDatabases.uniqueTable("snap_schema");
            execute((dialect == JdbcDialect.MYSQL ? "CREATE DATABASE " : "CREATE SCHEMA ") + schema);
            try {
                JdbcStore qualified = JdbcStore.builder(database.pooled()).tableName(schema + ".events").build();
                qualified.createSchema();
                JdbcSnapshotStore inSchema = JdbcSnapshotStore.of(qualified);
                Snapshot first = snapshot("a-1", 3);

                assertThat(inSchema.tableName()).isEqualTo(schema + ".events_snapshots")
                        .isEqualTo(qualified.snapshotTableName());
                assertThat(inSchema.save(first)).isTrue();
                assertThat(inSchema.save(snapshot("a-1", 2))).isFalse();
                assertThat(inSchema.save(snapshot("a-1", 4))).isTrue();
                assertThat(inSchema.load("Account", "a-1")).isEqualTo(snapshot("a-1", 4));
                assertThat(snapshots.load("Account", "a-1")).as("the default schema's table").isNull();
            } finally {
                execute(dialect == JdbcDialect.MYSQL ? "DROP DATABASE " + schema
                        : "DROP SCHEMA " + schema + " CASCADE");
            }
        }

        @Test
        @DisplayName("a save inside the caller's transaction commits or rolls back with it")
        void saveJoinsTheCallersTransaction() throws SQLException {
            try (Connection connection = database.unpooled().getConnection()) {
                connection.setAutoCommit(false);
                JdbcStore joined = JdbcStore.builder(boundTo(connection)).tableName(store.tableName()).build();
                JdbcSnapshotStore inTransaction = JdbcSnapshotStore.of(joined);

                assertThat(inTransaction.save(snapshot("a-1", 5))).isTrue();
                assertThat(inTransaction.load("Account", "a-1")).isEqualTo(snapshot("a-1", 5));
                connection.rollback();
                assertThat(snapshots.load("Account", "a-1")).as("rolled back").isNull();

                assertThat(inTransaction.save(snapshot("a-1", 6))).isTrue();
                connection.commit();
            }
            assertThat(snapshots.load("Account", "a-1")).isEqualTo(snapshot("a-1", 6));
        }

        @Test
        @DisplayName("what the table cannot hold is refused with a message naming it; a lookup by such an id too")
        void refusesWhatTheTableCannotHold() {
            assertThatThrownBy(() -> snapshots.save(snapshot("x".repeat(256), 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("aggregate id has 256 characters; at most 255 are kept")
                    .hasMessageContaining(snapshots.tableName());
            assertThatThrownBy(() -> snapshots.save(new Snapshot("Account", "a-1", 1, "f\u0000", 1, AT, new byte[1])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("its fingerprint contains a NUL character");
            assertThatThrownBy(() -> snapshots.load("Account", "a-\uD800"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
            assertThatThrownBy(() -> snapshots.load("Account", " "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-blank");
            assertThatThrownBy(() -> snapshots.deleteAll(""))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aggregate type");
            assertThat(snapshots.load("Account", "a-1")).isNull();
        }

        @Test
        @DisplayName("without the snapshots table every operation fails saying how to create it")
        void missingTableIsAClearError() {
            execute("DROP TABLE " + snapshots.tableName());

            assertThatThrownBy(() -> snapshots.load("Account", "a-1")).isInstanceOf(JdbcStoreException.class)
                    .hasMessageContaining(snapshots.tableName())
                    .hasMessageContaining("JdbcStore.createSchema()")
                    .hasMessageContaining("migrate-v5-");
            assertThatThrownBy(() -> snapshots.save(snapshot("a-1", 1))).isInstanceOf(JdbcStoreException.class)
                    .hasMessageContaining("The snapshots table is missing");
            assertThatThrownBy(() -> snapshots.deleteAll("Account")).isInstanceOf(JdbcStoreException.class)
                    .hasMessageContaining("The snapshots table is missing");
            store.createSchema();
            assertThat(snapshots.save(snapshot("a-1", 1))).isTrue();
        }

        @Test
        @DisplayName("a row that holds no snapshot (version 0, by hand) is a clear error naming it, and the next"
                + " snapshot replaces it")
        void rowThatIsNoSnapshot() {
            snapshots.save(snapshot("a-1", 3));
            execute("UPDATE " + snapshots.tableName() + " SET version = 0");

            assertThatThrownBy(() -> snapshots.load("Account", "a-1")).isInstanceOf(JdbcStoreException.class)
                    .hasMessageContaining("The snapshot row of Account 'a-1' in table " + snapshots.tableName())
                    .hasMessageContaining("delete it");
            assertThat(snapshots.save(snapshot("a-1", 1))).isTrue();
            assertThat(snapshots.load("Account", "a-1")).isEqualTo(snapshot("a-1", 1));
        }

        // ---- repositories ------------------------------------------------------------------------------------

        @Test
        @DisplayName("for random command sequences, loads with snapshots equal loads without after every command")
        void loadsEqualWithAndWithoutSnapshots() {
            Random random = new Random(15);
            for (int round = 0; round < 6; round++) {
                String id = "r-" + round;
                withSnapshots.apply(new Open(id, "owner " + round));
                int commands = 3 + random.nextInt(22);
                for (int i = 0; i < commands; i++) {
                    withSnapshots.apply(new Deposit(id, random.nextInt(1000), "n" + random.nextInt(4), null));
                    assertThat(withSnapshots.load(id)).as("%s after %d commands", id, i + 1)
                            .usingRecursiveComparison().isEqualTo(plain.load(id));
                }
                Snapshot latest = snapshots.load("Account", id);
                if (commands + 1 >= 5) {
                    assertThat(latest).as("snapshot of %s", id).isNotNull();
                    assertThat(latest.version()).isGreaterThanOrEqualTo(5).isLessThanOrEqualTo(commands + 1);
                }
            }
            assertThat(count("SELECT COUNT(*) FROM " + snapshots.tableName())).isPositive();
            assertThat(snapshots.deleteAll("Account")).isPositive();
            for (int round = 0; round < 6; round++) {
                assertThat(withSnapshots.load("r-" + round)).as("after deleting every snapshot")
                        .usingRecursiveComparison().isEqualTo(plain.load("r-" + round));
            }
        }

        @Test
        @DisplayName("loadWithSnapshot reads the snapshot and the events from its version in one query, every event"
                + " without one, and leaves other snapshot stores and unknown aggregates to the separate reads")
        void loadWithSnapshotReadsBothInOneQuery() {
            openWithDeposits("a-1", 7);
            Snapshot taken = snapshots.load("Account", "a-1");
            assertThat(taken).isNotNull();

            SnapshotAndHistory both = store.loadWithSnapshot(snapshots, "Account", "a-1", false);
            assertThat(both).isNotNull();
            assertThat(both.snapshot()).isEqualTo(taken);
            assertThat(both.history()).isEqualTo(store.load("a-1", taken.version(), 0));
            assertThat(store.loadWithSnapshot(snapshots, "Account", "a-1", true)).isEqualTo(
                    dialect == JdbcDialect.MYSQL ? null : both);

            plain.apply(new Open("b-1", "Bo"));
            plain.apply(new Deposit("b-1", 5, "x", null));
            SnapshotAndHistory none = store.loadWithSnapshot(snapshots, "Account", "b-1", false);
            assertThat(none.snapshot()).isNull();
            assertThat(none.history()).isEqualTo(store.load("b-1"));
            assertThat(store.loadWithSnapshot(snapshots, "Account", "nobody", false)).isNull();
            assertThat(store.loadWithSnapshot(new MemorySnapshotStore(), "Account", "a-1", false)).isNull();
            JdbcStore other = JdbcStore.builder(database.pooled()).tableName(TestDatabases.uniqueTable("other")).build();
            assertThat(other.loadWithSnapshot(snapshots, "Account", "a-1", false)).as("another table's").isNull();
        }

        @Test
        @DisplayName("a repository with snapshots loads with one statement, and still with one without a snapshot")
        void repositoryLoadsWithOneStatement() {
            openWithDeposits("a-1", 7);
            plain.apply(new Open("b-1", "Bo"));
            AtomicInteger statements = new AtomicInteger();
            DataSource counting = counting(database.pooled(), statements);
            JdbcStore countedStore = JdbcStore.builder(counting).tableName(store.tableName()).build();
            Repository<Account> counted = Repository.builder(Account.class).store(countedStore)
                    .snapshots(JdbcSnapshotStore.of(countedStore)).snapshotExecutor(Runnable::run).build();

            assertThat(counted.load("a-1")).usingRecursiveComparison().isEqualTo(plain.load("a-1"));
            assertThat(statements.get()).as("statements for a load from a snapshot").isEqualTo(1);
            statements.set(0);
            assertThat(counted.load("b-1")).usingRecursiveComparison().isEqualTo(plain.load("b-1"));
            assertThat(statements.get()).as("statements for a load without a snapshot").isEqualTo(1);
        }

        @Test
        @DisplayName("a snapshot row whose payload cannot be read is ignored, the events are replayed, and the next"
                + " snapshot replaces it")
        void corruptSnapshotRowIsIgnored() {
            openWithDeposits("a-1", 6);
            Snapshot taken = snapshots.load("Account", "a-1");
            assertThat(taken).isNotNull();
            corruptPayload(new byte[] {'{', '"', 'c', 'e', 'n', 't', 's', '"', ':', (byte) 0xFF});

            Account loaded = withSnapshots.load("a-1");
            assertThat(loaded).usingRecursiveComparison().isEqualTo(plain.load("a-1"));
            assertThat(loaded.cents).isEqualTo(21);

            // That load replayed every event, so it took a snapshot of the latest version in place of the corrupt one.
            Snapshot replacement = snapshots.load("Account", "a-1");
            assertThat(replacement.version()).isEqualTo(7).isGreaterThan(taken.version());
            assertThat(new String(replacement.data(), StandardCharsets.UTF_8)).contains("\"cents\":21");
            withSnapshots.apply(new Deposit("a-1", 100, "after", null));
            assertThat(withSnapshots.load("a-1")).usingRecursiveComparison().isEqualTo(plain.load("a-1"));
            assertThat(withSnapshots.load("a-1").cents).isEqualTo(121);
        }

        @Test
        @DisplayName("after a class change (a field added), the old class's snapshots are ignored and replaced, and"
                + " a row of another fingerprint with a wrong state changes no load")
        void snapshotOfAnotherShapeIsIgnored() {
            openWithDeposits("a-1", 6);
            Snapshot old = snapshots.load("Account", "a-1");
            assertThat(old).isNotNull();
            Repository<AccountWithDeposits> changed = Repository.builder(AccountWithDeposits.class).store(store)
                    .snapshots(snapshots).snapshotExecutor(Runnable::run).build();

            AccountWithDeposits loaded = changed.load("a-1");
            assertThat(loaded.cents).isEqualTo(21);
            assertThat(loaded.deposits).as("counted by replaying every event, not left 0 by the old snapshot")
                    .isEqualTo(6);
            assertThat(snapshots.load("Account", "a-1").fingerprint()).as("the old snapshot is replaced")
                    .isNotEqualTo(old.fingerprint());

            // A row of another shape holding a wrong state: a load that used it would show 999,999 cents.
            Account wrong = plain.load("a-1");
            wrong.cents = 999_999;
            byte[] wrongState = ((StateSerializer) withSnapshots.serializer()).marshalState(wrong);
            snapshots.deleteAll("Account");
            snapshots.save(new Snapshot("Account", "a-1", 7, "ffffffffffffffff", 1, AT, wrongState));
            assertThat(withSnapshots.load("a-1").cents).isEqualTo(21);
            snapshots.deleteAll("Account");
            snapshots.save(new Snapshot("Account", "a-1", 7, old.fingerprint(), 2, AT, wrongState));
            assertThat(withSnapshots.load("a-1").cents).as("another snapshot revision").isEqualTo(21);
            snapshots.deleteAll("Account");
            snapshots.save(new Snapshot("Account", "a-1", 7, old.fingerprint(), 1, AT, wrongState));
            assertThat(withSnapshots.load("a-1").cents).as("a matching row is used: the check above can fail")
                    .isEqualTo(999_999);
        }

        @Test
        @DisplayName("a repeated command whose events are older than the snapshot is recognised as a duplicate")
        void repeatedCommandOlderThanTheSnapshot() {
            withSnapshots.apply(new Open("a-1", "Ann"));
            CommandResult<Account> first = withSnapshots.execute(new Deposit("a-1", 100, "first", "cmd-1"));
            for (int i = 1; i <= 10; i++) {
                withSnapshots.apply(new Deposit("a-1", i, "n", null));
            }
            assertThat(snapshots.load("Account", "a-1").version()).isGreaterThan(first.version());
            int handled = DEPOSITS_HANDLED.get();

            CommandResult<Account> again = withSnapshots.execute(new Deposit("a-1", 100, "first", "cmd-1"));

            assertThat(again.duplicate()).isTrue();
            assertThat(again.version()).isEqualTo(2);
            assertThat(again.aggregate().cents).isEqualTo(100);
            assertThat(DEPOSITS_HANDLED.get()).as("the handler did not run again").isEqualTo(handled);
            assertThat(store.load("a-1")).hasSize(12);
            assertThat(withSnapshots.execute(new Deposit("a-1", 5, "new", "cmd-2")).duplicate())
                    .as("a new command id is not a duplicate").isFalse();
            assertThat(store.load("a-1")).hasSize(13);
        }

        // ---- helpers -----------------------------------------------------------------------------------------

        private void openWithDeposits(String id, int deposits) {
            withSnapshots.apply(new Open(id, "Ann"));
            for (int i = 1; i <= deposits; i++) {
                withSnapshots.apply(new Deposit(id, i, "n" + (i % 2), null));
            }
        }

        private void corruptPayload(byte[] payload) {
            try (Connection connection = database.pooled().getConnection();
                 PreparedStatement update = connection.prepareStatement("UPDATE " + snapshots.tableName()
                         + " SET payload = ?")) {
                update.setBytes(1, payload);
                assertThat(update.executeUpdate()).isEqualTo(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Snapshot snapshot(String id, long version) {
            return new Snapshot("Account", id, version, "0123456789abcdef", 1, AT.plusSeconds(version),
                    ("{\"v\":" + version + "}").getBytes(StandardCharsets.UTF_8));
        }

        private static Record record(String id, long version, String commandId) {
            return Record.of("Account", id, version, "Deposited", AT, ("{\"cents\":" + version + ",\"note\":\"n\"}")
                    .getBytes(StandardCharsets.UTF_8)).withCommandId(commandId);
        }

        /** @return the store with the default {@link Store#hasCommand}, which reads the events */
        private static Store readingTheEvents(Store store) {
            return new Store() {
                @Override
                public boolean save(String aggregateId, List<Record> records) {
                    return store.save(aggregateId, records);
                }

                @Override
                public History load(String aggregateId, long fromVersion, long toVersion) {
                    return store.load(aggregateId, fromVersion, toVersion);
                }

                @Override
                public List<Record> readAll(long afterPosition, int limit) {
                    return store.readAll(afterPosition, limit);
                }
            };
        }

        private void execute(String sql) {
            try (Connection connection = database.pooled().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        private long count(String sql) {
            try (Connection connection = database.pooled().getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }
    }

    /** A DataSource that always hands out the caller's connection, as Spring's transaction-aware proxy does. */
    static DataSource boundTo(Connection connection) {
        Connection unclosable = (Connection) Proxy.newProxyInstance(SnapshotsOnJdbcTests.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) ->
                        method.getName().equals("close") ? null : invoke(method, connection, args));
        return (DataSource) Proxy.newProxyInstance(SnapshotsOnJdbcTests.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) ->
                        method.getName().equals("getConnection") ? unclosable : null);
    }

    /** The DataSource, counting the statements prepared or created on its connections. */
    static DataSource counting(DataSource dataSource, AtomicInteger statements) {
        return (DataSource) Proxy.newProxyInstance(SnapshotsOnJdbcTests.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(method, dataSource, args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(SnapshotsOnJdbcTests.class.getClassLoader(),
                            new Class<?>[] {Connection.class}, (p, m, a) -> {
                                if (m.getName().equals("prepareStatement") || m.getName().equals("createStatement")) {
                                    statements.incrementAndGet();
                                }
                                return invoke(m, connection, a);
                            });
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        OnPostgres() {
            super(JdbcDialect.POSTGRESQL);
        }
    }

    @Nested
    class OnMariaDb extends OnDatabase {
        OnMariaDb() {
            super(JdbcDialect.MYSQL);
        }
    }

    @Nested
    class OnH2 extends OnDatabase {
        OnH2() {
            super(JdbcDialect.H2);
        }
    }
}
