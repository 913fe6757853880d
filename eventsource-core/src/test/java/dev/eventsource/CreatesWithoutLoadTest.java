package dev.eventsource;

import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @CommandHandler(creates = true)}: a create appends without a load, and every outcome is the one the usual
 * path (load, then handle) gives.
 */
class CreatesWithoutLoadTest {

    static final Instant AT = Instant.parse("2024-03-01T12:00:00Z");

    record Opened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    record Touched(String aggregateId, long version, Instant at) implements Event {
    }

    record Open(String aggregateId, String owner, String commandId) implements Command {
        Open(String aggregateId, String owner) {
            this(aggregateId, owner, null);
        }
    }

    /** Creates, or touches an account that exists. */
    record OpenOrTouch(String aggregateId) implements Command {
    }

    /** A create whose handler refuses an empty owner only for new accounts. */
    record Reopen(String aggregateId, String owner) implements Command {
    }

    static class Account extends AggregateRoot {
        String owner;
        int touches;

        @CommandHandler(creates = true)
        List<Event> handle(Open command) {
            if (version() > 0) {
                throw new IllegalStateException("account " + command.aggregateId() + " already exists");
            }
            return List.of(new Opened(command.aggregateId(), nextVersion(), AT, command.owner()));
        }

        @CommandHandler(creates = true)
        Event handle(OpenOrTouch command) {
            return version() == 0 ? new Opened(command.aggregateId(), nextVersion(), AT, "anonymous")
                    : new Touched(command.aggregateId(), nextVersion(), AT);
        }

        @CommandHandler(creates = true)
        Event handle(Reopen command) {
            if (version() == 0 && command.owner().isEmpty()) {
                throw new IllegalArgumentException("a new account needs an owner");
            }
            return version() == 0 ? new Opened(command.aggregateId(), nextVersion(), AT, command.owner())
                    : new Touched(command.aggregateId(), nextVersion(), AT);
        }

        @EventHandler
        void on(Opened event) {
            owner = event.owner();
        }

        @EventHandler
        void on(Touched event) {
            touches++;
        }
    }

    /** The memory store, counting the loads the repository asks for. */
    static final class CountingStore implements Store {
        final MemoryStore memory = new MemoryStore();
        final AtomicInteger loads = new AtomicInteger();

        @Override
        public boolean save(String aggregateId, List<Record> records) {
            return memory.save(aggregateId, records);
        }

        @Override
        public History load(String aggregateId, long fromVersion, long toVersion) {
            loads.incrementAndGet();
            return memory.load(aggregateId, fromVersion, toVersion);
        }

        @Override
        public History loadLatest(String aggregateId, long fromVersion, long toVersion) {
            loads.incrementAndGet();
            return memory.loadLatest(aggregateId, fromVersion, toVersion);
        }

        @Override
        public List<Record> readAll(long afterPosition, int limit) {
            return memory.readAll(afterPosition, limit);
        }
    }

    final CountingStore store = new CountingStore();
    final Repository<Account> accounts = Repository.builder(Account.class).store(store).build();

    @Test
    void aCreateOfANewIdAppendsWithoutALoad() {
        CommandResult<Account> result = accounts.execute(new Open("a-1", "Ann"));
        assertThat(result.version()).isEqualTo(1);
        assertThat(result.aggregate().owner).isEqualTo("Ann");
        assertThat(result.duplicate()).isFalse();
        assertThat(store.loads).hasValue(0);
        assertThat(accounts.load("a-1").owner).isEqualTo("Ann");
    }

    @Test
    void aCreateOfAnExistingIdGetsTheHandlersOwnRefusalAndStoresNothing() {
        accounts.apply(new Open("a-1", "Ann"));
        assertThatThrownBy(() -> accounts.apply(new Open("a-1", "Bob")))
                .isInstanceOf(IllegalStateException.class).hasMessage("account a-1 already exists");
        assertThat(store.load("a-1")).hasSize(1);
        assertThat(accounts.load("a-1").owner).isEqualTo("Ann");
    }

    @Test
    void aCreateOfAnExistingIdContinuesItWhenTheHandlerSaysSo() {
        accounts.apply(new OpenOrTouch("a-1"));
        CommandResult<Account> touched = accounts.execute(new OpenOrTouch("a-1"));
        assertThat(touched.version()).isEqualTo(2);
        assertThat(touched.aggregate().touches).isEqualTo(1);
        assertThat(touched.events()).containsExactly(new Touched("a-1", 2, AT));
    }

    @Test
    void aHandlerThatRefusesTheEmptyAggregateIsAskedAgainAboutTheStoredOne() {
        accounts.apply(new Reopen("a-1", "Ann"));
        assertThat(accounts.apply(new Reopen("a-1", ""))).as("the existing account accepts it").isEqualTo(2);
        assertThatThrownBy(() -> accounts.apply(new Reopen("a-2", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a new account needs an owner");
        assertThat(store.readAll(0, 10)).hasSize(2);
    }

    @Test
    void aRepeatedCreateWithACommandIdIsADuplicateNotAnError() {
        CommandResult<Account> first = accounts.execute(new Open("a-1", "Ann", "cmd-1"));
        CommandResult<Account> again = accounts.execute(new Open("a-1", "Ann", "cmd-1"));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.version()).isEqualTo(first.version());
        assertThat(again.aggregate().owner).isEqualTo("Ann");
        assertThat(store.load("a-1")).hasSize(1);
    }

    @Test
    void anIdOfAnotherAggregateTypeIsNotFoundAsWithoutTheFlag() {
        Repository.builder(Other.class).store(store).build().save(new Opened("x-1", 1, AT, "other"));
        assertThatThrownBy(() -> accounts.apply(new Open("x-1", "Ann")))
                .isInstanceOf(AggregateNotFoundException.class);
        assertThat(store.load("x-1")).hasSize(1);
    }

    static class Other extends AggregateRoot {
        @EventHandler
        void on(Opened event) {
        }
    }
}
