package dev.eventsource.autoconfigure.upcast;

import dev.eventsource.Aggregate;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.StoredEvent;
import dev.eventsource.autoconfigure.upcast.Wallet.Deposited;
import dev.eventsource.autoconfigure.upcast.Wallet.Money;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.upcast.Upcaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * An application on the memory store whose events changed shape, with its upcasters declared as beans: events
 * stored years ago, in older revisions or under an old type name, load through the injected repository and reach
 * the projection as today's classes.
 */
@SpringBootTest(classes = UpcastApplication.class, properties = { "eventsource.store.type=memory",
        "eventsource.scan.base-packages=dev.eventsource.autoconfigure.upcast",
        "eventsource.subscriptions.note-titles.poll-interval=20ms" })
@Timeout(60)
class UpcastingApplicationTests {

    private static final Instant LONG_AGO = Instant.parse("2019-03-04T05:06:07Z");

    @Autowired
    Store store;

    @Autowired
    Repository<Wallet> wallets;

    @Autowired
    Serializer serializer;

    @Autowired
    List<Upcaster> upcasters;

    @Autowired
    NoteTitles titles;

    @Test
    void registersEveryUpcasterBeanWithTheAutoConfiguredSerializer() {
        assertThat(this.upcasters).hasSize(3);
        assertThat(this.serializer).isInstanceOfSatisfying(JacksonSerializer.class,
                (jackson) -> assertThat(jackson.upcasters()).containsExactlyInAnyOrderElementsOf(this.upcasters));
    }

    @Test
    void loadsAnEventStoredInRevisionOneAsTodaysClassThroughTwoUpcasterBeans() {
        String id = "w-" + UUID.randomUUID();
        Record deposited = walletRecord(id, 2, "Deposited", 1,
                "{\"amount\": 12345678901234567.50, \"note\": \"first salary\"}");
        this.store.save(id, walletRecord(id, 1, "Opened", 1, "{\"owner\": \"Ada\"}"), deposited);

        Wallet wallet = this.wallets.load(id);

        assertThat(wallet.owner()).isEqualTo("Ada");
        assertThat(wallet.balance()).isEqualByComparingTo("12345678901234567.50");
        assertThat(wallet.currencies()).containsExactly("EUR");
        assertThat(wallet.memos()).containsExactly("first salary");
        assertThat(this.wallets.history(id)).extracting(StoredEvent::event).element(1)
            .isEqualTo(new Deposited(id, 2, LONG_AGO, new Money(new BigDecimal("12345678901234567.50"), "EUR"), "first salary"));
        assertThat(this.store.load(id, 2, 2)).singleElement().satisfies((stored) -> {
            assertThat(stored.revision()).as("stored revision, never rewritten").isEqualTo(1);
            assertThat(stored.data()).isEqualTo(deposited.data());
        });
    }

    @Test
    void foldsAHistoryMixingEveryRevisionAndAppendsTodaysRevision() {
        String id = "w-" + UUID.randomUUID();
        this.store.save(id, walletRecord(id, 1, "Opened", 1, "{\"owner\": \"Ada\"}"),
                walletRecord(id, 2, "Deposited", 1, "{\"amount\": 1}"),
                walletRecord(id, 3, "Deposited", 2,
                        "{\"money\": {\"amount\": 2, \"currency\": \"USD\"}, \"note\": \"gift\"}"),
                walletRecord(id, 4, "Deposited", 3,
                        "{\"money\": {\"amount\": 4, \"currency\": \"CHF\"}, \"memo\": \"refund\"}"));

        this.wallets.apply(new Wallet.Deposit(id, new Money(new BigDecimal("8"), "GBP"), "bonus"));

        Wallet wallet = this.wallets.load(id);
        assertThat(wallet.balance()).isEqualByComparingTo("15");
        assertThat(wallet.currencies()).containsExactly("EUR", "USD", "CHF", "GBP");
        assertThat(wallet.memos()).containsExactly("gift", "refund", "bonus");
        assertThat(this.store.load(id, 5, 5)).singleElement()
            .satisfies((appended) -> assertThat(appended.revision()).isEqualTo(3));
    }

    @Test
    void readsEventsStoredUnderTheOldTypeNameThroughTheAlias() {
        String id = "w-" + UUID.randomUUID();
        this.store.save(id, walletRecord(id, 1, "Opened", 1, "{\"owner\": \"Ada\"}"),
                walletRecord(id, 2, "Credited", 1, "{\"amount\": 7}"));

        Wallet wallet = this.wallets.load(id);

        assertThat(wallet.balance()).isEqualByComparingTo("7");
        assertThat(wallet.currencies()).containsExactly("EUR");
        assertThat(this.wallets.history(id)).extracting(StoredEvent::event).element(1)
            .isInstanceOf(Deposited.class);
    }

    @Test
    void projectsAnOldEventOfAClassOnlyTheProjectionBindsAsTodaysClass() {
        String id = "n-" + UUID.randomUUID();
        this.store.save(id, new Record("Notebook", id, 1, "Noted", 1, LONG_AGO,
                payload(id, 1, "{\"subject\": \"groceries\"}"), Map.of(), null, 0));

        awaitTrue("the old note projected", () -> this.titles.titles().contains("groceries"));
    }

    private static Record walletRecord(String id, long version, String type, int revision, String fields) {
        return new Record(Aggregate.typeName(Wallet.class), id, version, type, revision, LONG_AGO,
                payload(id, version, fields), Map.of(), null, 0);
    }

    /** @return the JSON of an event: the envelope every event has, then the given fields of its old shape */
    private static byte[] payload(String id, long version, String fields) {
        return ("{\"aggregateId\": \"" + id + "\", \"version\": " + version + ", \"at\": \"" + LONG_AGO + "\", "
                + fields.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting until " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
