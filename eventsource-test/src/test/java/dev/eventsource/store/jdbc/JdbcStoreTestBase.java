package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.Event;
import dev.eventsource.History;
import dev.eventsource.InvalidEventException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.InputStream;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the JDBC store does beyond the store contract, on each database: schema creation and scripts, the global
 * lock under concurrent {@link Repository#apply}, joining and leaving the caller's transaction, connections that
 * die mid-append, binary payloads, and input the columns cannot hold. {@link JdbcStoreTests} runs it per database.
 */
abstract class JdbcStoreTestBase {

    private static final Instant AT = Instant.parse("2025-01-02T03:04:05.123456Z");

    private final JdbcDialect dialect;
    private final List<String> tables = new ArrayList<>();
    TestDatabases.Database database;
    String table;
    JdbcStore store;

    JdbcStoreTestBase(JdbcDialect dialect) {
        this.dialect = dialect;
    }

    @BeforeEach
    void createStore() {
        database = TestDatabases.get(dialect);
        table = newTable();
        store = JdbcStore.builder(database.pooled()).tableName(table).build();
        store.createSchema();
    }

    @AfterEach
    void dropTables() {
        if (database != null) {
            for (String name : tables) {
                TestDatabases.drop(database.pooled(), name);
            }
        }
    }

    private String newTable() {
        String name = TestDatabases.uniqueTable("events");
        tables.add(name);
        return name;
    }

    // ---- dialect and schema -----------------------------------------------------------------------------------

    @Test
    @DisplayName("the dialect is detected from the database's metadata")
    void detectsDialect() {
        assertThat(JdbcDialect.detect(database.pooled())).isEqualTo(dialect);
        assertThat(store.dialect()).isEqualTo(dialect);
        assertThat(store.tableName()).isEqualTo(table);
    }

    @Test
    @DisplayName("createSchema can run again on an existing schema, and keeps the events and the lock row")
    void createSchemaIsIdempotent() {
        store.save("order-1", record("order-1", 1, "OrderPlaced"));

        store.createSchema();
        JdbcStore.builder(database.pooled()).tableName(table).build().createSchema();

        assertThat(store.load("order-1")).hasSize(1);
        if (dialect != JdbcDialect.POSTGRESQL) {
            assertThat(count("SELECT COUNT(*) FROM " + table + "_lock")).isEqualTo(1);
        }
        store.save("order-1", record("order-1", 2, "OrderShipped"));
        assertThat(store.load("order-1")).hasSize(2);
    }

    @Test
    @DisplayName("the schema script shipped in the jar creates a table the store works with")
    void shippedScriptWorks() throws Exception {
        String script = script(platformScript());
        String copied = newTable();
        // The script names the default table; a copy under another name keeps parallel test runs apart.
        for (String statement : statements(script.replace(JdbcStore.DEFAULT_TABLE_NAME, copied))) {
            execute(statement);
        }
        JdbcStore onScript = JdbcStore.builder(database.pooled()).tableName(copied).build();

        onScript.save("order-1", record("order-1", 1, "OrderPlaced"), record("order-1", 2, "OrderShipped"));
        onScript.save("order-1", record("order-1", 1, "OrderPlaced"), record("order-1", 2, "OrderShipped"));

        assertThat(onScript.load("order-1")).extracting(Record::type).containsExactly("OrderPlaced", "OrderShipped");
        assertThat(onScript.readAll(0, 10)).hasSize(2);
    }

    @Test
    @DisplayName("a schema-qualified table name works")
    void schemaQualifiedTable() {
        String schema = TestDatabases.uniqueTable("es_schema");
        execute((dialect == JdbcDialect.MYSQL ? "CREATE DATABASE " : "CREATE SCHEMA ") + schema);
        try {
            JdbcStore qualified = JdbcStore.builder(database.pooled()).tableName(schema + ".events").build();
            qualified.createSchema();
            qualified.save("order-1", record("order-1", 1, "OrderPlaced"));

            assertThat(qualified.tableName()).isEqualTo(schema + ".events");
            assertThat(qualified.load("order-1")).hasSize(1);
            assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
        } finally {
            execute(dialect == JdbcDialect.MYSQL ? "DROP DATABASE " + schema : "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    // ---- payloads and columns ---------------------------------------------------------------------------------

    @Test
    @DisplayName("binary payloads (any bytes) are stored and loaded exactly; an identical re-save is a no-op")
    void binaryPayloads() {
        JdbcStore binary = JdbcStore.builder(database.pooled()).tableName(newTable())
                .payloadFormat(PayloadFormat.BINARY).build();
        binary.createSchema();
        byte[] bytes = {(byte) 0xFF, 0, (byte) 0xA1, 0x7B, 0x22, (byte) 0x80};
        Record saved = Record.of("Blob", "blob-1", 1, "Scanned", AT, bytes);

        binary.save("blob-1", saved);
        binary.save("blob-1", saved);

        History history = binary.load("blob-1");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).data()).containsExactly(bytes);
        assertThatThrownBy(() -> binary.save("blob-1", Record.of("Blob", "blob-1", 1, "Scanned", AT, new byte[] {1})))
                .isInstanceOf(ConcurrencyConflictException.class);
    }

    @Test
    @DisplayName("revisions are stored by every insert: one statement, the caller's transaction, binary payloads and"
            + " batches larger than one insert")
    void revisionsOnEveryInsertPath() throws SQLException {
        store.save("auto", record("auto", 1, "Step").withRevision(4), record("auto", 2, "Step"));
        try (Connection connection = database.unpooled().getConnection()) {
            connection.setAutoCommit(false);
            JdbcStore joined = JdbcStore.builder(boundTo(connection)).tableName(table).build();
            joined.save("joined", record("joined", 1, "Step").withRevision(2), record("joined", 2, "Step")
                    .withRevision(9));
            assertThat(joined.loadLatest("joined", 0, 0)).extracting(Record::revision).containsExactly(2, 9);
            connection.commit();
        }
        List<Record> big = new ArrayList<>();
        for (long version = 1; version <= JdbcAppends.MAX_ROWS_PER_INSERT + 2; version++) {
            big.add(record("big", version, "Step").withRevision((int) (version % 5) + 1));
        }
        store.save("big", big);
        JdbcStore binary = JdbcStore.builder(database.pooled()).tableName(newTable())
                .payloadFormat(PayloadFormat.BINARY).build();
        binary.createSchema();
        binary.save("blob", Record.of("Blob", "blob", 1, "Scanned", AT, new byte[] {(byte) 0xFF, 0}).withRevision(6));

        assertThat(store.load("auto")).extracting(Record::revision).containsExactly(4, 1);
        assertThat(store.load("joined")).extracting(Record::revision).containsExactly(2, 9);
        assertThat(store.load("big")).extracting(Record::revision)
                .containsExactlyElementsOf(big.stream().map(Record::revision).toList());
        assertThat(store.readAll(0, 2000)).filteredOn(r -> r.aggregateId().equals("big")).extracting(Record::revision)
                .containsExactlyElementsOf(big.stream().map(Record::revision).toList());
        assertThat(binary.load("blob")).singleElement().extracting(Record::revision).isEqualTo(6);
        assertThat(binary.save("blob", Record.of("Blob", "blob", 1, "Scanned", AT, new byte[] {(byte) 0xFF, 0})
                .withRevision(6))).as("an identical retry").isFalse();
        assertThatThrownBy(() -> binary.save("blob", Record.of("Blob", "blob", 1, "Scanned", AT,
                new byte[] {(byte) 0xFF, 0}).withRevision(5))).isInstanceOf(ConcurrencyConflictException.class);
    }

    @Test
    @DisplayName("a row whose revision was set below 1 by hand fails the read, naming the event and what to fix")
    void revisionBelowOneIsRefusedOnRead() {
        store.save("order-1", record("order-1", 1, "OrderPlaced"));
        execute("UPDATE " + table + " SET revision = 0");

        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(JdbcStoreException.class)
                .hasMessageContaining("Event order-1@1 in table " + table + " has revision 0")
                .hasMessageContaining("revisions start at 1; set its revision column to the revision its payload was"
                        + " written in");
        assertThatThrownBy(() -> store.readAll(0, 10)).isInstanceOf(JdbcStoreException.class)
                .hasMessageContaining("has revision 0");
    }

    @Test
    @DisplayName("a load larger than the fetch size returns every event in version order")
    void loadsMoreThanOneFetch() {
        JdbcStore small = JdbcStore.builder(database.pooled()).tableName(table).fetchSize(7).build();
        List<Record> batch = new ArrayList<>();
        for (long version = 1; version <= 50; version++) {
            batch.add(record("order-1", version, "Step"));
        }
        small.save("order-1", batch);

        assertThat(small.load("order-1")).extracting(Record::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(small.load("order-1", 10, 30)).hasSize(21);
        assertThat(small.readAll(0, 100)).hasSize(50);
    }

    @Test
    @DisplayName("readAll returns each record with its metadata and time")
    void readAllCarriesMetadata() {
        store.save("order-1", record("order-1", 1, "OrderPlaced").withMetadata(Map.of("user", "ada")));

        List<Record> stream = store.readAll(0, 10);

        assertThat(stream).hasSize(1);
        assertThat(stream.get(0).metadata()).isEqualTo(Map.of("user", "ada"));
        assertThat(stream.get(0).at()).isEqualTo(AT);
        assertThat(stream.get(0).aggregateId()).isEqualTo("order-1");
    }

    @Test
    @DisplayName("an id of 255 Java characters (unicode included) is stored; 256 is refused and stores nothing")
    void idLengthLimit() {
        String longest = "🚀" + "ü".repeat(252) + ";";
        store.save(longest, record(longest, 1, "OrderPlaced"));
        assertThat(store.load(longest).get(0).aggregateId()).isEqualTo(longest);

        String tooLong = "x".repeat(256);
        assertThatThrownBy(() -> store.save(tooLong, record(tooLong, 1, "OrderPlaced")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("256 characters").hasMessageContaining("at most 255");
        assertThatThrownBy(() -> store.load(tooLong)).isInstanceOf(AggregateNotFoundException.class);
        assertThat(store.readAll(0, 10)).hasSize(1);
    }

    @Test
    @DisplayName("a type longer than 255 characters is refused, and nothing of its batch is stored")
    void typeLengthLimit() {
        assertThatThrownBy(() -> store.save("order-1", record("order-1", 1, "OrderPlaced"),
                        record("order-1", 2, "T".repeat(256))))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("type name").hasMessageContaining("at most 255");
        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
    }

    @Test
    @DisplayName("a payload that is not JSON in a JSON table is a clear store error, and nothing is stored")
    void invalidJsonPayloadIsRefused() {
        Record notJson = Record.of("Order", "order-1", 1, "OrderPlaced", AT, "not json {".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.save("order-1", notJson))
                .isInstanceOf(JdbcStoreException.class)
                .hasMessageContaining("order-1").hasMessageContaining("not stored");
        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
        store.save("order-1", record("order-1", 1, "OrderPlaced"));
        assertThat(store.load("order-1")).hasSize(1);
    }

    @Test
    @DisplayName("invalid table names are refused before any connection is opened")
    void invalidTableNames() {
        AtomicInteger connections = new AtomicInteger();
        DataSource counting = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                    }
                    return invoke(method, database.pooled(), args);
                });
        for (String bad : new String[] {"x; drop table y", "a.b.c", "", "\"events\"", "events'", "1events",
                "events--", "ev ents", ".events", "events.", "e".repeat(41)}) {
            assertThatThrownBy(() -> JdbcStore.builder(counting).tableName(bad).build())
                    .as("table name %s", bad)
                    .isInstanceOf(InvalidTableNameException.class)
                    .hasMessageContaining("Invalid event table name");
        }
        assertThatThrownBy(() -> JdbcStore.builder(counting).tableName(null).build())
                .isInstanceOf(InvalidTableNameException.class);
        assertThat(connections).hasValue(0);
        assertThat(store.readAll(0, 10)).isEmpty();
    }

    // ---- transactions -----------------------------------------------------------------------------------------

    @Test
    @DisplayName("in the caller's transaction the append joins it: a rollback leaves no events, a commit shows them")
    void joinsCallerTransaction() throws SQLException {
        try (Connection connection = database.unpooled().getConnection()) {
            connection.setAutoCommit(false);
            JdbcStore joined = JdbcStore.builder(boundTo(connection)).tableName(table).build();

            joined.save("order-1", record("order-1", 1, "OrderPlaced"), record("order-1", 2, "OrderShipped"));
            assertThat(joined.load("order-1")).as("visible inside the transaction").hasSize(2);
            assertThat(connection.getAutoCommit()).isFalse();
            connection.rollback();
            assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
            assertThat(store.readAll(0, 10)).isEmpty();

            joined.save("order-1", record("order-1", 1, "OrderPlaced"));
            assertThatThrownBy(() -> store.load("order-1"))
                    .as("not visible to others before the commit").isInstanceOf(AggregateNotFoundException.class);
            connection.commit();
            assertThat(store.load("order-1")).hasSize(1);
        }
    }

    @Test
    @DisplayName("on an autocommit connection the append commits itself and restores autocommit")
    void ownTransactionOnAutocommitConnection() throws SQLException {
        try (Connection connection = database.unpooled().getConnection()) {
            JdbcStore onOne = JdbcStore.builder(boundTo(connection)).tableName(table).build();

            onOne.save("order-1", record("order-1", 1, "OrderPlaced"));

            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(store.load("order-1")).hasSize(1);
        }
    }

    @Test
    @DisplayName("an uncommitted append never lets a reader skip it: elsewhere the next append waits for its commit,"
            + " on PostgreSQL the next append commits and the late one is numbered after it")
    void aLateCommitComesAfterWhatWasRead() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        List<Record> whileOpen;
        try (Connection connection = database.unpooled().getConnection()) {
            connection.setAutoCommit(false);
            JdbcStore inTransaction = JdbcStore.builder(boundTo(connection)).tableName(table).build();
            inTransaction.save("first", record("first", 1, "OrderPlaced"));

            Future<?> second = other.submit(() -> store.save("second", record("second", 1, "OrderPlaced")));

            if (dialect == JdbcDialect.POSTGRESQL) {
                second.get(1, TimeUnit.MINUTES);
                whileOpen = store.readAll(0, 10);
                assertThat(whileOpen).as("the committed append is read at once").extracting(Record::aggregateId)
                        .containsExactly("second");
            } else {
                assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS))
                        .as("the second append must wait for the first transaction")
                        .isInstanceOf(java.util.concurrent.TimeoutException.class);
                whileOpen = store.readAll(0, 10);
                assertThat(whileOpen).as("nothing is visible before the first commit").isEmpty();
            }
            connection.commit();
            second.get(1, TimeUnit.MINUTES);
        } finally {
            other.shutdownNow();
        }

        long checkpoint = whileOpen.isEmpty() ? 0 : whileOpen.get(whileOpen.size() - 1).position();
        List<Record> after = store.readAll(checkpoint, 10);
        List<Record> stream = store.readAll(0, 10);
        assertThat(stream).as("every event once, in the order readers saw them")
                .extracting(Record::aggregateId).containsExactly(dialect == JdbcDialect.POSTGRESQL
                        ? new String[] {"second", "first"} : new String[] {"first", "second"});
        assertThat(stream.get(1).position()).isGreaterThan(stream.get(0).position());
        assertThat(after).as("the reader's next read, from its checkpoint, finds what it has not seen")
                .hasSize(2 - whileOpen.size());
    }

    @Test
    @DisplayName("two stores naming one table with and without its schema take the same append lock")
    void sameTableUnderTwoNamesTakesOneLock() throws Exception {
        String schema;
        try (Connection connection = database.pooled().getConnection()) {
            schema = dialect == JdbcDialect.MYSQL ? connection.getCatalog() : connection.getSchema();
        }
        JdbcStore qualified = JdbcStore.builder(database.pooled()).tableName(schema + "." + table).build();
        // PostgreSQL locks per aggregate: the same aggregate through the other name must wait.
        String secondId = dialect == JdbcDialect.POSTGRESQL ? "first" : "second";
        ExecutorService other = Executors.newSingleThreadExecutor();
        Future<Boolean> second;
        try (Connection connection = database.unpooled().getConnection()) {
            connection.setAutoCommit(false);
            JdbcStore.builder(boundTo(connection)).tableName(table).build()
                    .save("first", record("first", 1, "OrderPlaced"));

            second = other.submit(() -> qualified.save(secondId, record(secondId, 1, "OrderPlaced")));

            assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS))
                    .as("an append through the schema-qualified name must wait for the first transaction")
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            connection.commit();
            second.get(1, TimeUnit.MINUTES);
        } finally {
            other.shutdownNow();
        }
        if (dialect == JdbcDialect.POSTGRESQL) {
            assertThat(second.get()).as("the same batch, already stored: nothing appended").isFalse();
            assertThat(store.readAll(0, 10)).extracting(Record::aggregateId).containsExactly("first");
        } else {
            assertThat(store.readAll(0, 10)).extracting(Record::aggregateId).containsExactly("first", "second");
        }
    }

    @Test
    @DisplayName("an autocommit append sends one statement on PostgreSQL; elsewhere lock with version read, insert,"
            + " and the autocommit switches, the second of which commits")
    void statementsPerAppend() {
        List<String> sent = new ArrayList<>();
        JdbcStore recorded = JdbcStore.builder(recording(sent)).dialect(dialect).tableName(table).build();

        recorded.save("order-1", record("order-1", 1, "OrderPlaced"), record("order-1", 2, "OrderShipped"));

        assertThat(sent).isEqualTo(dialect == JdbcDialect.POSTGRESQL ? List.of("WITH")
                : List.of("AUTOCOMMIT OFF", "SELECT", "INSERT", "AUTOCOMMIT ON"));
        assertThat(store.load("order-1")).hasSize(2);
    }

    @Test
    @DisplayName("a load sends one statement and no COMMIT, for a stored aggregate and for a missing one")
    void statementsPerLoad() {
        store.save("order-1", record("order-1", 1, "OrderPlaced"), record("order-1", 2, "OrderShipped"));
        List<String> sent = new ArrayList<>();
        JdbcStore recorded = JdbcStore.builder(recording(sent)).dialect(dialect).tableName(table).build();

        assertThat(recorded.load("order-1")).extracting(Record::version).containsExactly(1L, 2L);
        assertThatThrownBy(() -> recorded.load("order-2")).isInstanceOf(AggregateNotFoundException.class);

        assertThat(sent).isEqualTo(List.of("SELECT", "SELECT"));
    }

    /**
     * A DataSource whose connections note each statement prepared (by its first word), each COMMIT and each
     * switch of autocommit: every round trip a store's own code causes.
     */
    private DataSource recording(List<String> sent) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(method, database.pooled(), args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                switch (m.getName()) {
                                    case "prepareStatement" -> sent.add(((String) a[0]).strip().split("\\s+")[0]);
                                    case "commit" -> sent.add("COMMIT");
                                    case "setAutoCommit" -> sent.add((Boolean) a[0] ? "AUTOCOMMIT ON" : "AUTOCOMMIT OFF");
                                    default -> { }
                                }
                                return invoke(m, connection, a);
                            });
                });
    }

    // ---- faults -----------------------------------------------------------------------------------------------

    @Test
    @DisplayName("a connection killed before the insert: clear error, nothing stored, the next append works")
    void connectionKilledBeforeInsert() {
        assertConnectionLossLeavesNothing(Fault.AT_INSERT, 2);
    }

    @Test
    @DisplayName("a connection killed after inserting 1,001 events, before the commit: nothing stored, next works")
    void connectionKilledBeforeCommit() {
        // Over 1,000 rows the store inserts in several statements inside one transaction, on every database.
        assertConnectionLossLeavesNothing(Fault.AT_COMMIT, 1001);
    }

    private void assertConnectionLossLeavesNothing(Fault fault, int size) {
        store.save("order-1", record("order-1", 1, "OrderPlaced"));
        JdbcStore faulty = JdbcStore.builder(killingOnce(fault)).dialect(dialect).tableName(table).build();
        List<Record> batch = new ArrayList<>();
        for (long version = 2; version <= size + 1; version++) {
            batch.add(record("order-1", version, "Step"));
        }

        JdbcStoreException failure = catchThrowableOfType(JdbcStoreException.class,
                () -> faulty.save("order-1", batch));

        assertThat(failure).as("append on a killed connection must fail with JdbcStoreException").isNotNull();
        assertThat(failure).hasMessageContaining("order-1").hasMessageContaining("versions 2 to " + (size + 1))
                .hasMessageContaining(table).hasMessageContaining("not stored").hasCauseInstanceOf(SQLException.class);
        assertThat(store.load("order-1")).extracting(Record::version).containsExactly(1L);
        assertThat(store.readAll(0, 2000)).hasSize(1);

        faulty.save("order-1", batch);
        assertThat(store.load("order-1")).hasSize(size + 1);
        assertThat(store.readAll(0, 2000)).hasSize(size + 1);
    }

    @Test
    @DisplayName("without the lock row (a hand-made schema) an append is a clear error, not an unserialised insert")
    void missingLockRow() {
        if (dialect == JdbcDialect.POSTGRESQL) {
            return; // PostgreSQL locks with an advisory lock and has no lock table
        }
        execute("DELETE FROM " + table + "_lock");

        assertThatThrownBy(() -> store.save("order-1", record("order-1", 1, "OrderPlaced")))
                .isInstanceOf(JdbcStoreException.class).hasMessageContaining(table + "_lock")
                .hasMessageContaining("createSchema");
        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
    }

    // ---- concurrency through the repository -------------------------------------------------------------------

    @Test
    @DisplayName("8 threads x 250 apply on one aggregate: exactly 2,000 events, versions 1..2,000, none twice")
    void concurrentApplyOnOneAggregate() throws Exception {
        Repository<Counter> counters = repository();
        AtomicInteger conflicts = new AtomicInteger();

        runConcurrently(8, writer -> () -> {
            for (int n = 0; n < 250; n++) {
                applyRetrying(counters, new Increment("hot", writer, n), conflicts);
            }
            return null;
        });

        History history = store.load("hot");
        assertThat(history).extracting(Record::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 2000).boxed().toList());
        Set<String> applied = new HashSet<>();
        for (var stored : counters.history("hot")) {
            Incremented event = (Incremented) stored.event();
            assertThat(applied.add(event.writer() + "/" + event.n())).as("applied twice: %s", event).isTrue();
        }
        assertThat(applied).hasSize(2000);
        System.out.printf("%s: 2,000 applies on one aggregate, %d conflicts retried%n", dialect, conflicts.get());
        assertThat(counters.load("hot").count).isEqualTo(2000);
        List<Record> stream = store.readAll(0, 5000);
        assertThat(stream).hasSize(2000);
        for (int i = 1; i < stream.size(); i++) {
            assertThat(stream.get(i).position()).isGreaterThan(stream.get(i - 1).position());
        }
    }

    @Test
    @DisplayName("8 threads on 8 different aggregates never conflict")
    void concurrentApplyOnDifferentAggregates() throws Exception {
        Repository<Counter> counters = repository();
        AtomicInteger conflicts = new AtomicInteger();

        runConcurrently(8, writer -> () -> {
            for (int n = 0; n < 50; n++) {
                applyRetrying(counters, new Increment("counter-" + writer, writer, n), conflicts);
            }
            return null;
        });

        assertThat(conflicts).hasValue(0);
        for (int writer = 0; writer < 8; writer++) {
            assertThat(counters.load("counter-" + writer).count).isEqualTo(50);
        }
        assertThat(store.readAll(0, 1000)).hasSize(400);
    }

    private Repository<Counter> repository() {
        return Repository.builder(Counter.class).store(store).serializer(JacksonSerializer.json()).maxRetries(0)
                .build();
    }

    private static void applyRetrying(Repository<Counter> counters, Increment command, AtomicInteger conflicts) {
        for (int attempt = 1; ; attempt++) {
            try {
                counters.apply(command);
                return;
            } catch (ConcurrencyConflictException lost) {
                conflicts.incrementAndGet();
                // A random, growing back-off, as a real client would take, so that eight writers do not keep
                // reloading the same history at the same moment (each reload is a whole replay).
                long ceiling = Math.min(16_000_000L, 500_000L << Math.min(attempt, 5));
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(ceiling));
            }
        }
    }

    // ---- fixtures ---------------------------------------------------------------------------------------------

    record Increment(String aggregateId, int writer, int n) implements Command {
    }

    record Incremented(String aggregateId, long version, Instant at, int writer, int n) implements Event {
    }

    static final class Counter extends AggregateRoot {
        long count;

        @CommandHandler
        List<Event> handle(Increment command) {
            return List.of(new Incremented(command.aggregateId(), nextVersion(), Instant.now(), command.writer(),
                    command.n()));
        }

        @EventHandler
        void on(Incremented event) {
            count++;
        }
    }

    private static Record record(String aggregateId, long version, String type) {
        return Record.of("Order", aggregateId, version, type, AT, ("{\"v\": " + version + "}").getBytes(StandardCharsets.UTF_8));
    }

    private interface Writer {
        Callable<Void> forWriter(int writer);
    }

    private static void runConcurrently(int writers, Writer job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                results.add(pool.submit(job.forWriter(writer)));
            }
            for (Future<Void> result : results) {
                result.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A DataSource that always hands out the caller's connection, as Spring's transaction-aware proxy does. */
    private static DataSource boundTo(Connection connection) {
        Connection unclosable = (Connection) Proxy.newProxyInstance(JdbcStoreTestBase.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) ->
                        method.getName().equals("close") ? null : invoke(method, connection, args));
        return (DataSource) Proxy.newProxyInstance(JdbcStoreTestBase.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) ->
                        method.getName().equals("getConnection") ? unclosable : null);
    }

    enum Fault { AT_INSERT, AT_COMMIT }

    /**
     * A DataSource whose first connection is killed by the server, from a second session, just before the
     * store sends its insert or its commit; later connections are healthy.
     */
    private DataSource killingOnce(Fault fault) {
        DataSource real = database.unpooled();
        AtomicInteger handedOut = new AtomicInteger();
        // Once: the store's clean-up after the failure (rollback, autocommit back on) must meet a dead session,
        // not a second kill.
        AtomicBoolean killed = new AtomicBoolean();
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        return invoke(method, real, args);
                    }
                    Connection connection = real.getConnection();
                    if (handedOut.getAndIncrement() > 0) {
                        return connection;
                    }
                    long session = sessionId(connection);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                boolean insert = m.getName().equals("prepareStatement")
                                        && ((String) a[0]).contains("INSERT INTO " + table);
                                // The store commits its own transaction by switching autocommit back on.
                                boolean commit = m.getName().equals("commit")
                                        || (m.getName().equals("setAutoCommit") && (Boolean) a[0]);
                                if (((fault == Fault.AT_INSERT && insert) || (fault == Fault.AT_COMMIT && commit))
                                        && killed.compareAndSet(false, true)) {
                                    kill(session);
                                }
                                return invoke(m, connection, a);
                            });
                });
    }

    private long sessionId(Connection connection) throws SQLException {
        String sql = switch (dialect) {
            case POSTGRESQL -> "SELECT pg_backend_pid()";
            case MYSQL -> "SELECT CONNECTION_ID()";
            case H2 -> "SELECT SESSION_ID()";
        };
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void kill(long session) throws SQLException {
        switch (dialect) {
            case POSTGRESQL -> {
                execute("SELECT pg_terminate_backend(" + session + ")");
                // pg_terminate_backend only signals; wait until the backend is gone.
                for (int i = 0; i < 500 && count("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = " + session) > 0; i++) {
                    sleep();
                }
            }
            case MYSQL -> execute("KILL " + session);
            case H2 -> execute("CALL ABORT_SESSION(" + session + ")");
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    // ---- SQL helpers ------------------------------------------------------------------------------------------

    private String platformScript() throws SQLException {
        if (dialect != JdbcDialect.MYSQL) {
            return "schema-" + dialect.platform() + ".sql";
        }
        try (Connection connection = database.pooled().getConnection()) {
            boolean mariaDb = connection.getMetaData().getDatabaseProductName().toLowerCase().contains("mariadb");
            return mariaDb ? "schema-mariadb.sql" : "schema-mysql.sql";
        }
    }

    static String script(String name) throws Exception {
        try (InputStream in = JdbcStore.class.getResourceAsStream(name)) {
            assertThat(in).as("script %s in the jar", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Splits a script into statements, without its comment lines. */
    static List<String> statements(String script) {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
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
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
