package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.EventRevisionException;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Store;
import dev.eventsource.StoredEvent;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.EventType;
import dev.eventsource.annotation.Projection;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.subscription.MemoryCheckpointStore;
import dev.eventsource.subscription.ProjectionHandler;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.upcast.Upcaster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.eventsource.store.jdbc.SubscriptionTestBase.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Events stored in past revisions and under past names, read with today's classes everywhere events are read: a
 * repository's load, apply and history, the global stream, and a projection fed by a subscription; on the memory
 * store and on every database. Reads never change what is stored, and an event no code can read stops the reader
 * rather than being passed over.
 */
class UpcastingTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant AT = Instant.parse("2024-03-04T05:06:07Z");

    record Money(long cents, String currency) {
    }

    /** Stored as "AccountCreated" before the class was renamed. */
    @EventType(value = "AccountOpened", aliases = "AccountCreated")
    record AccountOpened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    /** Revision 1: "amount" in euros as a decimal; revision 2: "amount" as {"cents"}; revision 3: "money". */
    @EventType(revision = 3)
    record Deposited(String aggregateId, long version, Instant at, Money money) implements Event {
    }

    record Deposit(String aggregateId, long cents) implements Command {
    }

    static class Account extends AggregateRoot {
        String owner;
        long cents;

        @CommandHandler
        List<Event> handle(Deposit command) {
            return List.of(new Deposited(command.aggregateId(), nextVersion(), AT, new Money(command.cents(), "EUR")));
        }

        @EventHandler
        void on(AccountOpened event) {
            owner = event.owner();
        }

        @EventHandler
        void on(Deposited event) {
            cents += event.money().cents();
        }
    }

    @Projection("balances")
    static class Balances {
        final Map<String, Long> cents = new ConcurrentHashMap<>();
        final Map<String, String> owners = new ConcurrentHashMap<>();

        @EventHandler
        void on(AccountOpened event) {
            owners.put(event.aggregateId(), event.owner());
        }

        @EventHandler
        void on(Deposited event) {
            cents.merge(event.aggregateId() + " " + event.money().currency(), event.money().cents(), Long::sum);
        }
    }

    static final Upcaster EUROS_TO_CENTS = Upcaster.from("Deposited", 1).convertField("amount",
            euros -> Map.of("cents", euros.decimalValue().movePointRight(2).longValueExact()));
    static final Upcaster AMOUNT_TO_MONEY = Upcaster.from("Deposited", 2).moveField("amount", "money")
            .addField("money.currency", "EUR");

    abstract static class OnStore {
        Store store;
        JacksonSerializer serializer;
        Repository<Account> accounts;

        abstract Store newStore();

        @BeforeEach
        void storeOldEvents() {
            store = newStore();
            serializer = JacksonSerializer.json().addUpcasters(EUROS_TO_CENTS, AMOUNT_TO_MONEY);
            accounts = Repository.builder(Account.class).store(store).serializer(serializer).build();
            serializer.verifyUpcasters();
            store.save("acc-1",
                    old(1, "AccountCreated", 1, "{\"owner\":\"Ann\"}"),
                    old(2, "Deposited", 1, "{\"amount\":12.34}"),
                    old(3, "Deposited", 2, "{\"amount\":{\"cents\":500}}"),
                    old(4, "Deposited", 3, "{\"money\":{\"cents\":66,\"currency\":\"USD\"}}"));
        }

        /** A record as an older release of the application wrote it. */
        static Record old(long version, String type, int revision, String fields) {
            String json = "{\"aggregateId\":\"acc-1\",\"version\":" + version + ",\"at\":\"" + AT + "\","
                    + fields.substring(1);
            return new Record("Account", "acc-1", version, type, revision, AT, json.getBytes(StandardCharsets.UTF_8),
                    Map.of(), null, 0);
        }

        @Test
        void aRepositoryLoadsOldEventsAsTodaysClasses() {
            Account account = accounts.load("acc-1");
            assertThat(account.owner).isEqualTo("Ann");
            assertThat(account.cents).isEqualTo(1234 + 500 + 66);
            assertThat(account.version()).isEqualTo(4);
            assertThat(accounts.history("acc-1")).extracting(StoredEvent::event).containsExactly(
                    new AccountOpened("acc-1", 1, AT, "Ann"),
                    new Deposited("acc-1", 2, AT, new Money(1234, "EUR")),
                    new Deposited("acc-1", 3, AT, new Money(500, "EUR")),
                    new Deposited("acc-1", 4, AT, new Money(66, "USD")));
        }

        @Test
        void aCommandOnAnOldHistoryAppendsInTodaysRevision() {
            assertThat(accounts.apply(new Deposit("acc-1", 200))).isEqualTo(5);
            Record appended = store.load("acc-1").get(4);
            assertThat(appended.type()).isEqualTo("Deposited");
            assertThat(appended.revision()).isEqualTo(3);
            assertThat(accounts.load("acc-1").cents).isEqualTo(2000);
        }

        @Test
        void theGlobalStreamAndAProjectionReadOldEventsAsTodaysClasses() {
            List<Record> stream = store.readAll(0, 100);
            assertThat(stream).extracting(serializer::unmarshal).extracting(Event::getClass)
                    .containsExactly(AccountOpened.class, Deposited.class, Deposited.class, Deposited.class);
            assertThat(stream).extracting(serializer::currentType)
                    .containsExactly("AccountOpened", "Deposited", "Deposited", "Deposited");

            Balances balances = new Balances();
            Subscription subscription = Subscription.builder("balances", store, serializer,
                    ProjectionHandler.of(balances)).checkpoints(new MemoryCheckpointStore())
                    .pollInterval(Duration.ofMillis(10)).build();
            subscription.start();
            try {
                awaitTrue("the projection reaches the last event",
                        () -> subscription.position() == stream.get(3).position());
            } finally {
                subscription.stop();
            }
            assertThat(balances.owners).as("the event stored under the old name").containsEntry("acc-1", "Ann");
            assertThat(balances.cents).containsOnly(Map.entry("acc-1 EUR", 1734L), Map.entry("acc-1 USD", 66L));
        }

        @Test
        void readingNeverChangesWhatIsStored() {
            List<Record> before = store.load("acc-1").stream().toList();
            accounts.load("acc-1");
            accounts.history("acc-1");
            store.readAll(0, 100).forEach(serializer::unmarshal);
            List<Record> after = store.load("acc-1").stream().toList();
            assertThat(after).hasSameSizeAs(before);
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i).type()).isEqualTo(before.get(i).type());
                assertThat(after.get(i).revision()).isEqualTo(before.get(i).revision());
                assertThat(after.get(i).data()).isEqualTo(before.get(i).data());
            }
            assertThat(JSON.readTree(after.get(1).data()).get("amount").decimalValue())
                    .isEqualByComparingTo("12.34");
        }

        @Test
        void anEventNoCodeCanReadStopsEveryReaderInsteadOfBeingPassedOver() {
            store.save("acc-1", old(5, "Deposited", 9, "{\"money\":{\"cents\":1,\"currency\":\"EUR\"}}"),
                    old(6, "Deposited", 3, "{\"money\":{\"cents\":2,\"currency\":\"EUR\"}}"));
            assertThatThrownBy(() -> accounts.load("acc-1"))
                    .isInstanceOfSatisfying(EventRevisionException.class, e -> {
                        assertThat(e.reason()).isEqualTo(EventRevisionException.Reason.NEWER_THAN_CODE);
                        assertThat(e.aggregateType()).isEqualTo("Account");
                        assertThat(e.aggregateId()).isEqualTo("acc-1");
                        assertThat(e.version()).isEqualTo(5);
                        assertThat(e.eventType()).isEqualTo("Deposited");
                        assertThat(e.revision()).isEqualTo(9);
                        assertThat(e.currentRevision()).isEqualTo(3);
                    });

            List<Record> stream = store.readAll(0, 100);
            Balances balances = new Balances();
            Subscription subscription = Subscription.builder("balances", store, serializer,
                    ProjectionHandler.of(balances)).checkpoints(new MemoryCheckpointStore())
                    .pollInterval(Duration.ofMillis(10)).maxAttempts(1).build();
            subscription.start();
            try {
                awaitTrue("the subscription halts", () -> subscription.state() == Subscription.State.HALTED);
            } finally {
                subscription.stop();
            }
            assertThat(subscription.failure()).hasRootCauseInstanceOf(EventRevisionException.class)
                    .hasMessageContaining("position " + stream.get(4).position());
            assertThat(subscription.position()).isEqualTo(stream.get(3).position());
            assertThat(balances.cents).containsOnly(Map.entry("acc-1 EUR", 1734L), Map.entry("acc-1 USD", 66L));
        }
    }

    @Nested
    class OnMemory extends OnStore {
        @Override
        Store newStore() {
            return new MemoryStore();
        }
    }

    abstract static class OnJdbc extends OnStore {
        private final JdbcDialect dialect;
        private TestDatabases.Database database;
        private String table;

        OnJdbc(JdbcDialect dialect) {
            this.dialect = dialect;
        }

        @Override
        Store newStore() {
            database = TestDatabases.get(dialect);
            table = TestDatabases.uniqueTable("upcast");
            JdbcStore jdbc = JdbcStore.builder(database.pooled()).tableName(table).build();
            jdbc.createSchema();
            return jdbc;
        }

        @AfterEach
        void dropTable() {
            if (database != null) {
                TestDatabases.drop(database.pooled(), table);
            }
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
}
