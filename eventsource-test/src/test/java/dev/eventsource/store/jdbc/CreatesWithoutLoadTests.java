package dev.eventsource.store.jdbc;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.Repository;
import dev.eventsource.Store;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Racing creates of one id through {@code @CommandHandler(creates = true)}: one wins, the other is handled as a
 * command on the existing aggregate (here: refused by the handler), on the memory store and every database.
 */
class CreatesWithoutLoadTests {

    record Opened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    record Open(String aggregateId, String owner) implements Command {
    }

    static class Account extends AggregateRoot {
        String owner;

        @CommandHandler(creates = true)
        Event handle(Open command) {
            if (version() > 0) {
                throw new IllegalStateException("account " + command.aggregateId() + " already exists, owned by "
                        + owner);
            }
            return new Opened(command.aggregateId(), nextVersion(), Instant.now(), command.owner());
        }

        @EventHandler
        void on(Opened event) {
            owner = event.owner();
        }
    }

    abstract static class OnStore {
        Store store;
        Repository<Account> accounts;

        abstract Store newStore();

        @BeforeEach
        void createRepository() {
            store = newStore();
            accounts = Repository.builder(Account.class).store(store).build();
        }

        @Test
        void twoRacingCreatesOfOneIdStoreOneAndTheOtherGetsTheHandlersRefusal() throws Exception {
            int ids = 40;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < ids; i++) {
                    String id = "acc-" + i;
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<String>> racers = new ArrayList<>();
                    for (String owner : List.of("Ann", "Bob")) {
                        racers.add(pool.submit(() -> {
                            start.await();
                            try {
                                accounts.apply(new Open(id, owner));
                                return "created by " + owner;
                            } catch (IllegalStateException refused) {
                                return refused.getMessage();
                            }
                        }));
                    }
                    start.countDown();
                    List<String> outcomes = new ArrayList<>();
                    for (Future<String> racer : racers) {
                        outcomes.add(racer.get(30, TimeUnit.SECONDS));
                    }
                    String owner = accounts.load(id).owner;
                    assertThat(outcomes).as(id).containsExactlyInAnyOrder("created by " + owner,
                            "account " + id + " already exists, owned by " + owner);
                    assertThat(store.load(id)).as(id).hasSize(1);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.readAll(0, 1000)).hasSize(ids);
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
            table = TestDatabases.uniqueTable("creates");
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
