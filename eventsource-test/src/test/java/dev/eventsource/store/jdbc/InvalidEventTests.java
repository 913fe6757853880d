package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.EventLimits;
import dev.eventsource.InvalidEventException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.SerializationException;
import dev.eventsource.Store;
import dev.eventsource.UnstorableEventException;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Events no store can keep (NUL characters, lone surrogates, sizes over {@link EventLimits}) are refused before the
 * store is touched, with the same exception and message on every store, and nothing is stored: through
 * {@link Repository#apply} and through {@link Store#save}, on memory and on JDBC with PostgreSQL, MariaDB and H2.
 * Without the checks PostgreSQL refuses a NUL with a store error, MariaDB and H2 keep it, and lone surrogates are
 * refused by some databases and silently turned into {@code ?} by others.
 */
class InvalidEventTests {

    static final Instant AT = Instant.parse("2025-01-02T03:04:05.123456Z");

    abstract static class OnStore {

        /** @return a new, empty store for payloads of the given format */
        abstract Store newStore(PayloadFormat format);

        /** @return whether the store knows its payloads are JSON, and so checks them in {@link Store#save} */
        abstract boolean checksJsonPayloads();

        // ---- through the repository -----------------------------------------------------------------------

        @Test
        @DisplayName("apply: a NUL in a payload string is refused naming aggregate, event type and field path")
        void applyRefusesNulInPayload() {
            Store store = newStore(PayloadFormat.JSON);
            Repository<Customer> customers = customers(store, JacksonSerializer.json());
            customers.apply(new Register("c-0", "Bob", List.of("1 Main St"), Map.of()));
            long positionBefore = store.lastPosition();

            assertRefusedAndNothingStored(store, positionBefore,
                    () -> customers.apply(new Register("c-1", "Ada", List.of("1 Main St", "Flat 2", "Lon\u0000don"),
                            Map.of())),
                    "Event 'Registered' version 1 of aggregate 'c-1'", "the string at $.address.lines[2]",
                    "NUL character (U+0000) at index 3");
            assertThatThrownBy(() -> customers.apply(new Register("c-1", "Ada", List.of("Lon\u0000don"), Map.of())))
                    .isInstanceOfSatisfying(UnstorableEventException.class,
                            refused -> assertThat(refused.fieldPath()).isEqualTo("$.address.lines[0]"));
            assertThatThrownBy(() -> customers.load("c-1")).isInstanceOf(AggregateNotFoundException.class);
        }

        @Test
        @DisplayName("apply: a lone surrogate in a payload's property name is refused; the version stays")
        void applyRefusesLoneSurrogateInPayloadKey() {
            Store store = newStore(PayloadFormat.JSON);
            Repository<Customer> customers = customers(store, JacksonSerializer.json());
            customers.apply(new Register("c-1", "Ada", List.of(), Map.of()));
            long positionBefore = store.lastPosition();

            assertRefusedAndNothingStored(store, positionBefore,
                    () -> customers.apply(new Register("c-1", "Ada", List.of(), Map.of("home\uD800", "x"))),
                    "'Registered' version 2 of aggregate 'c-1'", "$.address.labels");
            assertThat(customers.load("c-1").version()).isEqualTo(1);
            assertThat(customers.history("c-1")).hasSize(1);
        }

        @Test
        @DisplayName("apply: a lone surrogate in a payload string is refused, naming the field")
        void applyRefusesLoneSurrogateInPayload() {
            Store store = newStore(PayloadFormat.JSON);
            Repository<Customer> customers = customers(store, JacksonSerializer.json());

            assertRefusedAndNothingStored(store, 0,
                    () -> customers.apply(new Register("c-1", "Ada\uDE00", List.of(), Map.of())),
                    "'Registered' version 1 of aggregate 'c-1'", "the string at $.name", "lone surrogate (U+DE00");
        }

        @Test
        @DisplayName("apply: an aggregate id with a NUL or a lone surrogate is refused before the store is read")
        void applyRefusesBadAggregateId() {
            Store store = newStore(PayloadFormat.JSON);
            Repository<Customer> customers = customers(store, JacksonSerializer.json());

            // PostgreSQL cannot even take such an id as a query parameter: the id must be refused before the load.
            assertRefusedAndNothingStored(store, 0,
                    () -> customers.apply(new Register("c\u00001", "Ada", List.of(), Map.of())),
                    "Aggregate id 'c\\u00001' cannot be stored: it contains a NUL character (U+0000) at index 1");
            assertRefusedAndNothingStored(store, 0,
                    () -> customers.apply(new Register("c\uD8001", "Ada", List.of(), Map.of())),
                    "Aggregate id 'c\\uD8001' cannot be stored: it contains a lone surrogate (U+D800");
        }

        @Test
        @DisplayName("apply: metadata with a NUL, or a value over 8,192 characters, is refused")
        void applyRefusesBadMetadata() {
            Store store = newStore(PayloadFormat.JSON);
            Repository<Customer> withNul = Repository.builder(Customer.class).store(store)
                    .metadata(() -> Map.of("user", "ada\u0000")).build();
            Repository<Customer> withLong = Repository.builder(Customer.class).store(store)
                    .metadata(() -> Map.of("user", "a".repeat(EventLimits.MAX_METADATA_VALUE_LENGTH + 1))).build();

            assertRefusedAndNothingStored(store, 0,
                    () -> withNul.apply(new Register("c-1", "Ada", List.of(), Map.of())),
                    "'Registered' version 1 of aggregate 'c-1'", "its metadata value of key 'user' contains a NUL");
            assertRefusedAndNothingStored(store, 0,
                    () -> withLong.apply(new Register("c-1", "Ada", List.of(), Map.of())),
                    "'Registered' version 1 of aggregate 'c-1'", "has 8193 characters; at most 8192");
        }

        @Test
        @DisplayName("apply: a payload over 1 MiB is refused")
        void applyRefusesOversizePayload() {
            Store store = newStore(PayloadFormat.JSON);
            Repository<Customer> customers = customers(store, JacksonSerializer.json());

            assertRefusedAndNothingStored(store, 0,
                    () -> customers.apply(new Register("c-1", "x".repeat(EventLimits.MAX_PAYLOAD_BYTES), List.of(),
                            Map.of())),
                    "'Registered' version 1 of aggregate 'c-1'", "every store keeps at most 1048576");
        }

        @Test
        @DisplayName("apply: emoji, other surrogate pairs and the text \\u0000 are stored and read back unchanged")
        void applyKeepsValidUnicode() {
            Store store = newStore(PayloadFormat.JSON);
            Repository<Customer> customers = Repository.builder(Customer.class).store(store)
                    .metadata(() -> Map.of("user 🙂", "名前 \\u0000")).build();
            String name = "Ada 🚀 𝄞 \\u0000 \\\\u0000 \\uD800 é";

            customers.apply(new Register("c-🚀", name, List.of("😀"), Map.of("🏠", "\\")));

            Customer loaded = customers.load("c-🚀");
            assertThat(loaded.name).isEqualTo(name);
            assertThat(loaded.lines).containsExactly("😀");
            assertThat(loaded.labels).isEqualTo(Map.of("🏠", "\\"));
            assertThat(customers.history("c-🚀").get(0).metadata()).isEqualTo(Map.of("user 🙂", "名前 \\u0000"));
        }

        @Test
        @DisplayName("apply with CBOR: a NUL is kept (binary column); the CBOR writer refuses a lone surrogate")
        void applyWithCbor() {
            Store store = newStore(PayloadFormat.BINARY);
            Repository<Customer> customers = customers(store, JacksonSerializer.cbor());

            customers.apply(new Register("c-1", "A\u0000da", List.of(), Map.of()));
            assertThat(customers.load("c-1").name).isEqualTo("A\u0000da");

            long positionBefore = store.lastPosition();
            Throwable refused = catchThrowable(() -> customers.apply(
                    new Register("c-2", "Ada", List.of("x", "y", "lone\uD800"), Map.of())));
            assertThat(refused).isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Registered version 1 of aggregate 'c-2'")
                    .hasMessageContaining("at $.address.lines[2]").hasMessageContaining("surrogate")
                    .hasMessageContaining("nothing was stored");
            assertThat(store.lastPosition()).isEqualTo(positionBefore);
            assertThatThrownBy(() -> customers.load("c-2")).isInstanceOf(AggregateNotFoundException.class);
        }

        // ---- through Store.save -----------------------------------------------------------------------------

        @Test
        @DisplayName("save: an aggregate id with a NUL, a lone surrogate or 256 characters is refused")
        void saveRefusesBadAggregateId() {
            Store store = newStore(PayloadFormat.JSON);
            for (String id : List.of("o\u00001", "o\uDBFF1", "o".repeat(256))) {
                assertRefusedAndNothingStored(store, 0, () -> store.save(id, record(id, 1, "OrderPlaced")),
                        "Aggregate id 'o");
            }
        }

        @Test
        @DisplayName("save: a type name with a NUL or a lone surrogate is refused, and nothing of its batch stored")
        void saveRefusesBadTypeName() {
            Store store = newStore(PayloadFormat.JSON);
            for (String type : List.of("Order\u0000Shipped", "OrderShipped\uDC00")) {
                assertRefusedAndNothingStored(store, 0,
                        () -> store.save("o-1", record("o-1", 1, "OrderPlaced"), record("o-1", 2, type)),
                        "Event 'Order", "version 2 of aggregate 'o-1'", "its type name contains");
                assertThatThrownBy(() -> store.load("o-1")).isInstanceOf(AggregateNotFoundException.class);
            }
        }

        @Test
        @DisplayName("save: metadata keys and values with a NUL, a lone surrogate or over their length are refused")
        void saveRefusesBadMetadata() {
            Store store = newStore(PayloadFormat.JSON);
            store.save("o-1", record("o-1", 1, "OrderPlaced"));
            long positionBefore = store.lastPosition();
            for (Map<String, String> metadata : List.of(Map.of("user", "a\u0000"), Map.of("us\u0000er", "a"),
                    Map.of("user", "a\uD800"), Map.of("u\uDFFF", "a"), Map.of("k".repeat(256), "a"),
                    Map.of("user", "a".repeat(8193)))) {
                assertRefusedAndNothingStored(store, positionBefore,
                        () -> store.save("o-1", record("o-1", 2, "OrderShipped").withMetadata(metadata)),
                        "Event 'OrderShipped' version 2 of aggregate 'o-1'", "its metadata");
                assertThat(store.load("o-1")).hasSize(1);
            }
        }

        @Test
        @DisplayName("save: a payload of exactly 1 MiB is stored; one byte more is refused")
        void savePayloadSizeLimit() {
            Store store = newStore(PayloadFormat.JSON);
            byte[] largest = jsonOfSize(EventLimits.MAX_PAYLOAD_BYTES);
            byte[] tooLarge = jsonOfSize(EventLimits.MAX_PAYLOAD_BYTES + 1);

            assertRefusedAndNothingStored(store, 0,
                    () -> store.save("o-1", Record.of("Order", "o-1", 1, "Scanned", AT, tooLarge)),
                    "Event 'Scanned' version 1 of aggregate 'o-1'", "its payload has 1048577 bytes");
            store.save("o-1", Record.of("Order", "o-1", 1, "Scanned", AT, largest));
            // jsonb gives the JSON back re-spaced ({"s": "x..."}), one byte longer
            assertThat(store.load("o-1").get(0).data().length)
                    .isBetween(EventLimits.MAX_PAYLOAD_BYTES, EventLimits.MAX_PAYLOAD_BYTES + 1);
        }

        @Test
        @DisplayName("save: one append of 4 MiB is stored; more is refused before MariaDB's packet limit is met")
        void saveBatchSizeLimit() {
            Store store = newStore(PayloadFormat.JSON);
            List<Record> largest = new ArrayList<>();
            for (long version = 1; version <= 4; version++) {
                largest.add(Record.of("Order", "o-1", version, "Scanned", AT, jsonOfSize(EventLimits.MAX_PAYLOAD_BYTES)));
            }
            List<Record> tooLarge = new ArrayList<>(largest);
            tooLarge.set(3, largest.get(3).withMetadata(Map.of("u", "")));

            assertRefusedAndNothingStored(store, 0, () -> store.save("o-1", tooLarge),
                    "The 4 events (versions 1 to 4) of aggregate 'o-1' carry 4194305 bytes");
            store.save("o-1", largest);
            assertThat(store.load("o-1")).hasSize(4);
        }

        @Test
        @DisplayName("save: JSON payloads with a NUL or a lone surrogate are refused where the store knows JSON")
        void saveChecksJsonPayloads() {
            Store store = newStore(PayloadFormat.JSON);
            Record nul = Record.of("Order", "o-1", 1, "Scanned", AT, utf8("{\"lines\":[\"a\",\"b\\u0000\"]}"));
            Record lone = Record.of("Order", "o-2", 1, "Scanned", AT, utf8("{\"s\":{\"t\":\"\\uDBFF\"}}"));
            Record text = Record.of("Order", "o-3", 1, "Scanned", AT, utf8("{\"s\":\"\\\\u0000 \\uD83D\\uDE80\"}"));

            if (checksJsonPayloads()) {
                assertRefusedAndNothingStored(store, 0, () -> store.save("o-1", nul),
                        "Event 'Scanned' version 1 of aggregate 'o-1'", "the string at $.lines[1] contains a NUL");
                assertRefusedAndNothingStored(store, 0, () -> store.save("o-2", lone),
                        "Event 'Scanned' version 1 of aggregate 'o-2'", "the string at $.s.t contains a lone");
            }
            store.save("o-3", text);
            assertThat(new String(store.load("o-3").get(0).data(), StandardCharsets.UTF_8))
                    .contains("\\\\u0000").containsAnyOf("\\uD83D\\uDE80", "\\ud83d\\ude80", "🚀");
        }

        @Test
        @DisplayName("load: an id with a NUL or a lone surrogate is refused alike and never finds another aggregate")
        void loadRefusesIdNoStoreCanHold() {
            Store store = newStore(PayloadFormat.JSON);
            Repository<Customer> customers = customers(store, JacksonSerializer.json());
            // PostgreSQL's driver sends a lone surrogate as '?': without the check this id would load "c?1".
            customers.apply(new Register("c?1", "Ada", List.of(), Map.of()));

            for (String id : List.of("c\u00001", "c\uD8001")) {
                assertThatThrownBy(() -> store.load(id)).as("%s", id)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("cannot name a stored aggregate");
                assertThatThrownBy(() -> customers.load(id)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(customers.load("c?1").name).isEqualTo("Ada");
        }

        // ---- helpers ----------------------------------------------------------------------------------------

        static void assertRefusedAndNothingStored(Store store, long positionBefore, Executable attempt,
                                                  String... messageParts) {
            Throwable refused = catchThrowable(attempt::execute);
            assertThat(refused).isInstanceOf(InvalidEventException.class).isInstanceOf(UnstorableEventException.class);
            assertThat(refused.getMessage()).contains(messageParts).endsWith("Nothing was stored")
                    .doesNotContain("\u0000");
            assertThat(store.lastPosition()).isEqualTo(positionBefore);
            assertThat(store.readAll(positionBefore, 10)).isEmpty();
        }

        static Repository<Customer> customers(Store store, JacksonSerializer serializer) {
            return Repository.builder(Customer.class).store(store).serializer(serializer).build();
        }

        static Record record(String aggregateId, long version, String type) {
            return Record.of("Order", aggregateId, version, type, AT, utf8("{\"v\": " + version + "}"));
        }

        /** @return a JSON object of exactly {@code size} bytes */
        static byte[] jsonOfSize(int size) {
            return utf8("{\"s\":\"" + "x".repeat(size - 8) + "\"}");
        }

        static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Each test on a new table (two: JSON and binary payloads), dropped afterwards. */
    abstract static class OnJdbc extends OnStore {

        private final JdbcDialect dialect;
        private final List<String> tables = new ArrayList<>();
        private TestDatabases.Database database;

        OnJdbc(JdbcDialect dialect) {
            this.dialect = dialect;
        }

        @Override
        Store newStore(PayloadFormat format) {
            database = TestDatabases.get(dialect);
            String table = TestDatabases.uniqueTable("invalid");
            tables.add(table);
            JdbcStore store = JdbcStore.builder(database.pooled()).tableName(table).payloadFormat(format).build();
            store.createSchema();
            return store;
        }

        @Override
        boolean checksJsonPayloads() {
            return true;
        }

        @AfterEach
        void dropTables() {
            for (String table : tables) {
                TestDatabases.drop(database.pooled(), table);
            }
        }
    }

    @Nested
    class OnMemory extends OnStore {
        @Override
        Store newStore(PayloadFormat format) {
            return new MemoryStore();
        }

        @Override
        boolean checksJsonPayloads() {
            return false;
        }
    }

    @Nested
    class OnPostgres extends OnJdbc {
        OnPostgres() {
            super(JdbcDialect.POSTGRESQL);
        }
    }

    @Nested
    class OnMariaDb extends OnJdbc {
        OnMariaDb() {
            super(JdbcDialect.MYSQL);
        }
    }

    @Nested
    class OnH2 extends OnJdbc {
        OnH2() {
            super(JdbcDialect.H2);
        }
    }

    // ---- fixtures -------------------------------------------------------------------------------------------

    record Register(String aggregateId, String name, List<String> lines, Map<String, String> labels)
            implements Command {
    }

    record Address(List<String> lines, Map<String, String> labels) {
    }

    record Registered(String aggregateId, long version, Instant at, String name, Address address) implements Event {
    }

    static final class Customer extends AggregateRoot {
        String name;
        List<String> lines;
        Map<String, String> labels;

        @CommandHandler
        List<Event> handle(Register command) {
            return List.of(new Registered(command.aggregateId(), nextVersion(), AT, command.name(),
                    new Address(command.lines(), command.labels())));
        }

        @EventHandler
        void on(Registered event) {
            name = event.name();
            lines = event.address().lines();
            labels = event.address().labels();
        }
    }
}
