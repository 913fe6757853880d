package dev.eventsource.store.jdbc;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.subscription.ProjectionHandler;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionStatus;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.subscription.jdbc.JdbcDeadLetterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.eventsource.store.jdbc.SubscriptionTestBase.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's recipe "Rebuild without downtime", on H2: a projection with a bug keeps serving its read model while
 * the fixed projection builds a new read model under a new subscription name from the beginning, appends going on
 * all along; once the new one has caught up, reads switch to it and the old one is stopped. Every read during the
 * rebuild is answered, and the new read model equals what the fixed projection makes of the whole stream.
 */
class RebuildWithoutDowntimeTests {

    record Named(String aggregateId, long version, Instant at, String name) implements Event {
    }

    /** Writes each person's latest name into a table of its own; version 1 upper-cases names by mistake. */
    abstract static class People {
        private final DataSource dataSource;
        private final String table;

        People(DataSource dataSource, String table) {
            this.dataSource = dataSource;
            this.table = table;
        }

        abstract String name(Named event);

        @EventHandler
        void on(Named event) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement merge = connection.prepareStatement("MERGE INTO " + table
                         + " (id, name, version) KEY (id) VALUES (?, ?, ?)")) {
                merge.setString(1, event.aggregateId());
                merge.setString(2, name(event));
                merge.setLong(3, event.version());
                merge.executeUpdate();
            }
        }
    }

    @Projection("people")
    static class PeopleV1 extends People {
        PeopleV1(DataSource dataSource, String table) {
            super(dataSource, table);
        }

        @Override
        String name(Named event) {
            return event.name().toUpperCase(Locale.ROOT); // the bug
        }
    }

    @Projection("people-v2")
    static class PeopleV2 extends People {
        PeopleV2(DataSource dataSource, String table) {
            super(dataSource, table);
        }

        @Override
        String name(Named event) {
            return event.name();
        }
    }

    private final DataSource dataSource = TestDatabases.get(JdbcDialect.H2).pooled();
    private final String events = TestDatabases.uniqueTable("rebuild");
    private final Serializer serializer = JacksonSerializer.json().bind(Named.class);
    private final List<Subscription> started = new ArrayList<>();

    @AfterEach
    void drop() throws SQLException {
        started.forEach(subscription -> subscription.stop(Duration.ofSeconds(10)));
        TestDatabases.drop(dataSource, events);
        execute("DROP TABLE IF EXISTS " + events + "_view");
        execute("DROP TABLE IF EXISTS " + events + "_view_v2");
    }

    @Test
    void rebuildsIntoANewReadModelWhileTheOldOneServesThenSwitches() throws Exception {
        JdbcStore store = JdbcStore.builder(dataSource).tableName(events).build();
        store.createSchema();
        execute("CREATE TABLE " + events + "_view (id VARCHAR(255) PRIMARY KEY, name VARCHAR(255), version BIGINT)");
        AtomicInteger versions = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            append(store, "p-" + (i % 20), "name " + i, versions);
        }
        Subscription v1 = start(store, new PeopleV1(dataSource, events + "_view"));
        awaitTrue("version 1 serves", () -> v1.status().lag() == 0 && v1.status().checkpoint() > 0);
        AtomicReference<String> readFrom = new AtomicReference<>(events + "_view");
        assertThat(read(readFrom.get())).hasSize(20).containsEntry("p-0", "NAME 180");

        // Deploy the fix as a new projection with a new name and a new table, beside the old one.
        execute("CREATE TABLE " + events + "_view_v2 (id VARCHAR(255) PRIMARY KEY, name VARCHAR(255),"
                + " version BIGINT)");
        AtomicBoolean appending = new AtomicBoolean(true);
        AtomicInteger answeredReads = new AtomicInteger();
        ExecutorService traffic = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = traffic.submit(() -> {
                for (int i = 200; appending.get(); i++) {
                    append(store, "p-" + (i % 25), "name " + i, versions);
                }
                return null;
            });
            Future<?> reader = traffic.submit(() -> {
                while (appending.get()) {
                    assertThat(read(readFrom.get())).as("the old read model answers during the rebuild")
                            .hasSizeGreaterThanOrEqualTo(20);
                    answeredReads.incrementAndGet();
                }
                return null;
            });
            Subscription v2 = start(store, new PeopleV2(dataSource, events + "_view_v2"));
            awaitTrue("the new projection catches up with the stream while it grows",
                    () -> store.lastPosition() > 400 && v2.status().lag() < 5);
            // Switch: reads go to the new read model, then the old subscription stops.
            readFrom.set(events + "_view_v2");
            v1.stop();
            appending.set(false);
            writer.get();
            reader.get();
            awaitTrue("the new projection has every event", () -> v2.status().lag() == 0);
            assertThat(v2.status().state()).isEqualTo(SubscriptionStatus.State.RUNNING);
        } finally {
            appending.set(false);
            traffic.shutdownNow();
        }
        assertThat(answeredReads.get()).isPositive();

        Map<String, String> expected = new TreeMap<>();
        for (Record record : store.readAll(0, 100_000)) {
            Named event = (Named) serializer.unmarshal(record);
            expected.put(event.aggregateId(), event.name());
        }
        assertThat(read(readFrom.get())).isEqualTo(expected).hasSize(25).doesNotContainValue("NAME 0");
        assertThat(JdbcCheckpointStore.of(store).position("people-v2")).hasValue(store.lastPosition());
    }

    private Subscription start(JdbcStore store, Object projection) {
        Subscription subscription = Subscription.builder(ProjectionHandler.of(projection).name(), store, serializer,
                ProjectionHandler.of(projection)).checkpoints(JdbcCheckpointStore.of(store))
                .deadLetters(JdbcDeadLetterStore.of(store)).pollInterval(Duration.ofMillis(10)).batchSize(50).build();
        started.add(subscription);
        subscription.start();
        return subscription;
    }

    private void append(JdbcStore store, String id, String name, AtomicInteger versions) {
        List<Record> existing;
        try {
            existing = store.load(id);
        } catch (dev.eventsource.AggregateNotFoundException e) {
            existing = List.of();
        }
        store.save(id, List.of(serializer.marshal(new Named(id, existing.size() + 1, Instant.now(), name))
                .withAggregateType("Person")));
        versions.incrementAndGet();
    }

    private Map<String, String> read(String table) throws SQLException {
        Map<String, String> names = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, name FROM " + table)) {
            while (rows.next()) {
                names.put(rows.getString(1), rows.getString(2));
            }
        }
        return names;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
