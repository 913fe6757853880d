package dev.eventsource.upcast;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.EventType;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: a history whose events are stored in any mix of their past revisions (and past names) folds to the same
 * aggregate as the same history stored in today's revisions. Random histories from fixed seeds, so a failure
 * repeats.
 */
class MixedRevisionHistoriesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    record Money(long cents, String currency) {
    }

    /** Revision 1 called the owner "ownerName". */
    @EventType(revision = 2)
    record WalletOpened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    /** Revision 1: "amount" in euros as a decimal; revision 2: "amount" as {"cents"}; revision 3: "money". */
    @EventType(revision = 3)
    record Deposited(String aggregateId, long version, Instant at, Money money) implements Event {
    }

    /** Stored as "Spent" with "cents" before it was renamed; revision 2 holds "amount". */
    @EventType(value = "Withdrawn", revision = 2, aliases = "Spent")
    record Withdrawn(String aggregateId, long version, Instant at, long amount) implements Event {
    }

    static class Wallet extends AggregateRoot {
        String owner;
        long balance;
        int moves;
        List<String> currencies = new ArrayList<>();

        @EventHandler
        void on(WalletOpened event) {
            owner = event.owner();
        }

        @EventHandler
        void on(Deposited event) {
            balance += event.money().cents();
            currencies.add(event.money().currency());
            moves++;
        }

        @EventHandler
        void on(Withdrawn event) {
            balance -= event.amount();
            moves++;
        }
    }

    static final List<Upcaster> UPCASTERS = List.of(
            Upcaster.from("WalletOpened", 1).renameField("ownerName", "owner"),
            Upcaster.from("Deposited", 1).convertField("amount",
                    euros -> Map.of("cents", euros.decimalValue().movePointRight(2).longValueExact())),
            Upcaster.from("Deposited", 2).moveField("amount", "money").addField("money.currency", "EUR"),
            Upcaster.from("Withdrawn", 1).renameField("cents", "amount"));

    @Test
    void historiesInAnyMixOfRevisionsFoldToTheSameAggregate() {
        for (int seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            List<Event> history = history(random);
            Repository<Wallet> today = repository();
            today.store().save("w-1", records(today, history, random, false));
            Repository<Wallet> mixed = repository();
            List<Record> mixedRecords = records(mixed, history, random, true);
            mixed.store().save("w-1", mixedRecords);

            Wallet expected = today.load("w-1");
            Wallet actual = mixed.load("w-1");
            assertThat(actual).as("seed %d, stored as %s", seed, mixedRecords.stream()
                    .map(r -> r.type() + "@" + r.revision()).toList())
                    .usingRecursiveComparison().isEqualTo(expected);
            assertThat(mixed.history("w-1")).extracting(e -> e.event()).as("seed %d", seed)
                    .containsExactlyElementsOf(history);
        }
    }

    private static Repository<Wallet> repository() {
        JacksonSerializer serializer = JacksonSerializer.json()
                .bind(WalletOpened.class, Deposited.class, Withdrawn.class)
                .addUpcasters(UPCASTERS.toArray(new Upcaster[0])).verifyUpcasters();
        return Repository.builder(Wallet.class).store(new MemoryStore()).serializer(serializer).build();
    }

    private static List<Event> history(Random random) {
        List<Event> events = new ArrayList<>();
        events.add(new WalletOpened("w-1", 1, T0, "owner-" + random.nextInt(100)));
        int size = 1 + random.nextInt(40);
        for (int version = 2; version <= size; version++) {
            Instant at = T0.plusSeconds(version);
            events.add(random.nextBoolean()
                    ? new Deposited("w-1", version, at, new Money(random.nextInt(100_000), "EUR"))
                    : new Withdrawn("w-1", version, at, random.nextInt(50_000)));
        }
        return events;
    }

    /** The history's records, today's or each in a random past revision written as that revision was. */
    private static List<Record> records(Repository<Wallet> repository, List<Event> history, Random random,
                                        boolean mixRevisions) {
        List<Record> records = new ArrayList<>();
        for (Event event : history) {
            Record current = repository.serializer().marshal(event).withAggregateType("Wallet");
            if (!mixRevisions) {
                records.add(current);
                continue;
            }
            ObjectNode payload = (ObjectNode) JSON.readTree(current.data());
            int revision = 1 + random.nextInt(current.revision());
            String type = current.type();
            if (event instanceof WalletOpened && revision == 1) {
                payload.set("ownerName", payload.remove("owner"));
            } else if (event instanceof Deposited deposited && revision < 3) {
                payload.remove("money");
                if (revision == 2) {
                    payload.putObject("amount").put("cents", deposited.money().cents());
                } else {
                    payload.put("amount", BigDecimal.valueOf(deposited.money().cents(), 2));
                }
            } else if (event instanceof Withdrawn && revision == 1) {
                payload.set("cents", payload.remove("amount"));
                type = random.nextBoolean() ? "Spent" : "Withdrawn";
            }
            records.add(new Record("Wallet", current.aggregateId(), current.version(), type, revision, current.at(),
                    JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8), Map.of(), null, 0));
        }
        return records;
    }
}
