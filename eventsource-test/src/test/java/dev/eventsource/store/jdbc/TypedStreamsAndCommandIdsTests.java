package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.CommandResult;
import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Store;
import dev.eventsource.annotation.AggregateType;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Typed streams, {@link Repository#execute} and commands applied exactly once, through repositories on every
 * store: memory, and JDBC on PostgreSQL, MariaDB and H2. A JDBC "restart" is a new store and repository on the
 * same table.
 */
class TypedStreamsAndCommandIdsTests {

    private static final AtomicInteger DEPOSITS_HANDLED = new AtomicInteger();

    // ---- the aggregates: an account and a person, as a user writes them --------------------------------------

    record Open(String aggregateId, String owner) implements Command {
    }

    record Deposit(String aggregateId, BigDecimal amount, String commandId) implements Command {
    }

    record Opened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    record Deposited(String aggregateId, long version, Instant at, BigDecimal amount) implements Event {
    }

    @AggregateType("BankAccount")
    static final class Account extends AggregateRoot {
        private BigDecimal balance = BigDecimal.ZERO;

        @CommandHandler
        Opened handle(Open command) {
            return new Opened(command.aggregateId(), nextVersion(), Instant.now(), command.owner());
        }

        @CommandHandler
        Deposited handle(Deposit command) {
            DEPOSITS_HANDLED.incrementAndGet();
            return new Deposited(command.aggregateId(), nextVersion(), Instant.now(), command.amount());
        }

        @EventHandler
        void on(Opened event) {
        }

        @EventHandler
        void on(Deposited event) {
            balance = balance.add(event.amount());
        }

        BigDecimal balance() {
            return balance;
        }
    }

    record Register(String aggregateId, String name) implements Command {
    }

    record Rename(String aggregateId, String name) implements Command {
    }

    record Registered(String aggregateId, long version, Instant at, String name) implements Event {
    }

    record Renamed(String aggregateId, long version, Instant at, String name) implements Event {
    }

    static final class Person extends AggregateRoot {
        private String name;

        @CommandHandler
        Registered handle(Register command) {
            return new Registered(command.aggregateId(), nextVersion(), Instant.now(), command.name());
        }

        @CommandHandler
        Renamed handle(Rename command) {
            if ("unappliable".equals(command.name())) {
                // An event the aggregate's own handler refuses: it must never be stored.
                return new Renamed(command.aggregateId(), nextVersion(), Instant.now(), null);
            }
            return new Renamed(command.aggregateId(), nextVersion(), Instant.now(), command.name());
        }

        @EventHandler
        void on(Registered event) {
            name = event.name();
        }

        @EventHandler
        void on(Renamed event) {
            if (event.name() == null) {
                throw new IllegalStateException("a person needs a name");
            }
            name = event.name();
        }

        String name() {
            return name;
        }
    }

    // ---- the tests, per store ---------------------------------------------------------------------------------

    abstract static class OnStore {

        Store store;
        Repository<Account> accounts;
        Repository<Person> people;

        /** @return a new, empty store */
        abstract Store newStore();

        /** @return a second store on the same data, as a restarted application would build it */
        abstract Store reopen();

        @BeforeEach
        void createRepositories() {
            DEPOSITS_HANDLED.set(0);
            store = newStore();
            accounts = Repository.builder(Account.class).store(store).build();
            people = Repository.builder(Person.class).store(store).build();
        }

        @Test
        @DisplayName("the stream type comes from @AggregateType or the simple class name and is stored with each event")
        void streamTypeIsStored() {
            accounts.apply(new Open("acc-1", "Ada"));
            people.apply(new Register("p-1", "Ada"));

            assertThat(accounts.aggregateTypeName()).isEqualTo("BankAccount");
            assertThat(people.aggregateTypeName()).isEqualTo("Person");
            assertThat(store.load("acc-1")).extracting(Record::aggregateType).containsExactly("BankAccount");
            assertThat(store.load("p-1")).extracting(Record::aggregateType).containsExactly("Person");
        }

        @Test
        @DisplayName("an id of another aggregate type is not found: load, history and apply replay and store nothing")
        void anIdOfAnotherTypeIsNotFound() {
            accounts.apply(new Open("acc-1", "Ada"));

            AggregateNotFoundException onLoad = catchThrowableOfType(AggregateNotFoundException.class,
                    () -> people.load("acc-1"));
            assertThat(onLoad).isNotNull();
            assertThat(onLoad.aggregateType()).isEqualTo("Person");
            assertThat(onLoad.aggregateId()).isEqualTo("acc-1");
            assertThat(onLoad.storedType()).isEqualTo("BankAccount");
            assertThat(catchThrowableOfType(AggregateNotFoundException.class, () -> people.history("acc-1")))
                    .isNotNull();
            // Neither a command on an existing person nor one that would create a person may touch the id.
            assertThat(catchThrowableOfType(AggregateNotFoundException.class,
                    () -> people.apply(new Rename("acc-1", "Bob")))).isNotNull();
            assertThat(catchThrowableOfType(AggregateNotFoundException.class,
                    () -> people.apply(new Register("acc-1", "Bob")))).isNotNull();

            assertThat(store.load("acc-1")).hasSize(1).extracting(Record::aggregateType).containsOnly("BankAccount");
            assertThat(accounts.load("acc-1").version()).isEqualTo(1);
        }

        @Test
        @DisplayName("an unknown id is not found for the repository's type")
        void unknownIdIsNotFoundForTheType() {
            AggregateNotFoundException notFound = catchThrowableOfType(AggregateNotFoundException.class,
                    () -> people.load("nobody"));

            assertThat(notFound.aggregateType()).isEqualTo("Person");
            assertThat(notFound.storedType()).isNull();
            assertThat(notFound).hasMessageContaining("Person 'nobody' not found");
        }

        @Test
        @DisplayName("execute returns the aggregate after the command, its version and the new events")
        void executeReturnsTheAggregate() {
            accounts.apply(new Open("acc-1", "Ada"));

            CommandResult<Account> result = accounts.execute(new Deposit("acc-1", new BigDecimal("10.50"), null));

            assertThat(result.duplicate()).isFalse();
            assertThat(result.version()).isEqualTo(2);
            assertThat(result.aggregate().version()).isEqualTo(2);
            assertThat(result.aggregate().balance()).isEqualByComparingTo("10.50");
            assertThat(result.events()).singleElement().isInstanceOf(Deposited.class);
            assertThat(accounts.load("acc-1").balance()).isEqualByComparingTo("10.50");
        }

        @Test
        @DisplayName("an event the aggregate cannot apply is refused before the append: nothing stored")
        void unappliableEventIsNeverStored() {
            people.apply(new Register("p-1", "Ada"));

            assertThat(catchThrowableOfType(IllegalStateException.class,
                    () -> people.apply(new Rename("p-1", "unappliable")))).hasMessageContaining("needs a name");

            assertThat(store.load("p-1")).hasSize(1);
            assertThat(people.load("p-1").name()).isEqualTo("Ada");
        }

        @Test
        @DisplayName("a command whose id is stored runs nothing, stores nothing and returns the original outcome")
        void commandWithStoredIdIsAppliedOnce() {
            accounts.apply(new Open("acc-1", "Ada"));
            CommandResult<Account> first = accounts.execute(new Deposit("acc-1", BigDecimal.TEN, "key-1"));
            accounts.apply(new Deposit("acc-1", BigDecimal.ONE, null));

            CommandResult<Account> again = accounts.execute(new Deposit("acc-1", BigDecimal.TEN, "key-1"));

            assertThat(first.duplicate()).isFalse();
            assertThat(again.duplicate()).isTrue();
            assertThat(again.version()).isEqualTo(first.version()).isEqualTo(2);
            assertThat(again.events()).isEqualTo(first.events());
            assertThat(again.aggregate().balance()).isEqualByComparingTo("10");
            assertThat(accounts.apply(new Deposit("acc-1", BigDecimal.TEN, "key-1"))).isEqualTo(2);
            assertThat(DEPOSITS_HANDLED).hasValue(2);
            assertThat(store.load("acc-1")).extracting(Record::commandId).containsExactly(null, "key-1", null);
            assertThat(accounts.load("acc-1").balance()).isEqualByComparingTo("11");
        }

        @Test
        @DisplayName("a command id is kept across a restart and is per aggregate")
        void commandIdSurvivesARestartAndIsPerAggregate() {
            accounts.apply(new Open("acc-1", "Ada"));
            accounts.apply(new Open("acc-2", "Bob"));
            accounts.apply(new Deposit("acc-1", BigDecimal.TEN, "key-1"));

            Repository<Account> restarted = Repository.builder(Account.class).store(reopen()).build();

            assertThat(restarted.execute(new Deposit("acc-1", BigDecimal.TEN, "key-1")).duplicate()).isTrue();
            assertThat(restarted.execute(new Deposit("acc-2", BigDecimal.TEN, "key-1")).duplicate()).isFalse();
            assertThat(restarted.load("acc-1").balance()).isEqualByComparingTo("10");
            assertThat(restarted.load("acc-2").balance()).isEqualByComparingTo("10");
        }

        @Test
        @DisplayName("8 racing copies of one command with an id append it once; every copy gets the same answer")
        void racingCopiesAppendOnce() throws Exception {
            accounts.apply(new Open("acc-1", "Ada"));
            int copies = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(copies);
            try {
                List<Future<CommandResult<Account>>> results = new ArrayList<>();
                for (int i = 0; i < copies; i++) {
                    Callable<CommandResult<Account>> copy = () -> {
                        start.await();
                        return accounts.execute(new Deposit("acc-1", BigDecimal.TEN, "pay-once"));
                    };
                    results.add(pool.submit(copy));
                }
                start.countDown();
                int appended = 0;
                for (Future<CommandResult<Account>> result : results) {
                    CommandResult<Account> answer = result.get(60, TimeUnit.SECONDS);
                    assertThat(answer.version()).isEqualTo(2);
                    assertThat(answer.aggregate().balance()).isEqualByComparingTo("10");
                    appended += answer.duplicate() ? 0 : 1;
                }
                assertThat(appended).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.load("acc-1")).hasSize(2);
            assertThat(accounts.load("acc-1").balance()).isEqualByComparingTo("10");
        }
    }

    @Nested
    class OnMemory extends OnStore {
        @Override
        Store newStore() {
            return new MemoryStore();
        }

        @Override
        Store reopen() {
            return store;
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
            table = TestDatabases.uniqueTable("typed");
            JdbcStore jdbc = JdbcStore.builder(database.pooled()).tableName(table).build();
            jdbc.createSchema();
            return jdbc;
        }

        @Override
        Store reopen() {
            return JdbcStore.builder(database.unpooled()).tableName(table).build();
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
