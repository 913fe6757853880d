package dev.eventsource.test;

import dev.eventsource.EventRevisionException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Store;
import dev.eventsource.StoredEvent;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.test.Wallet.Deposited;
import dev.eventsource.test.Wallet.Money;
import dev.eventsource.test.Wallet.WalletOpened;
import dev.eventsource.test.Wallet.Withdrawn;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link PastEvents} on one kind of store, with a JSON and a CBOR serializer: events written in revisions 1 and 2
 * (and under an old type name) load with today's classes through a repository, the global stream and the
 * serializer, next to events today's code appends; their bytes are never rewritten. Subclasses give the store.
 */
public abstract class PastEventsTestBase {

    /** Reads decimals as BigDecimal, as CBOR keeps them. */
    private static final JsonMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    static final Instant MARCH_2021 = Instant.parse("2021-03-01T09:30:00.123456Z");

    /**
     * Creates the store a test writes to.
     *
     * @param format the payload format of the test's serializer, for a store whose column depends on it
     * @return an empty store
     */
    protected abstract Store newStore(PayloadFormat format);

    private static JacksonSerializer serializer(PayloadFormat format) {
        JacksonSerializer serializer = format == PayloadFormat.JSON ? JacksonSerializer.json()
                : JacksonSerializer.cbor();
        return serializer.addUpcasters(Wallet.DEPOSITED_1_TO_2, Wallet.DEPOSITED_2_TO_3);
    }

    private Repository<Wallet> wallets(PayloadFormat format) {
        JacksonSerializer serializer = serializer(format);
        Repository<Wallet> wallets = Repository.builder(Wallet.class).store(newStore(format)).serializer(serializer)
                .events(WalletOpened.class, Withdrawn.class).build();
        serializer.verifyUpcasters();
        return wallets;
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    @DisplayName("events of revisions 1 and 2 and under an old type name load with today's classes")
    void oldEventsLoadWithTodaysClasses(PayloadFormat format) {
        Repository<Wallet> wallets = wallets(format);

        List<Record> stored = PastEvents.into(wallets).append("w-1",
                PastEvent.of("WalletOpened", 1, "{\"owner\": \"Ada\"}"),
                PastEvent.of("Deposited", 1, "{\"amount\": 12.50}"),
                PastEvent.of("Deposited", 2, "{\"money\": {\"amount\": 20.00, \"currency\": \"USD\"}}")
                        .metadata(Map.of("channel", "app")),
                PastEvent.of("MoneyTakenOut", 1, "{\"amount\": 2.25}"));

        assertThat(stored).extracting(Record::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(stored).extracting(Record::type)
                .containsExactly("WalletOpened", "Deposited", "Deposited", "MoneyTakenOut");
        assertThat(stored).extracting(Record::revision).containsExactly(1, 1, 2, 1);
        Wallet wallet = wallets.load("w-1");
        assertThat(wallet.owner()).isEqualTo("Ada");
        assertThat(wallet.balance()).isEqualByComparingTo("30.25");
        assertThat(wallet.channels()).containsExactly("EUR via branch", "USD via app");
        assertThat(wallet.version()).isEqualTo(4);

        List<StoredEvent> history = wallets.history("w-1");
        assertThat(history.get(1).event()).isInstanceOfSatisfying(Deposited.class, deposited -> {
            assertThat(deposited.money().amount()).isEqualByComparingTo("12.50");
            assertThat(deposited.money().currency()).isEqualTo("EUR");
            assertThat(deposited.channel()).isEqualTo("branch");
        });
        assertThat(history.get(2).metadata()).containsEntry("channel", "app");
        assertThat(history.get(3).event()).isInstanceOf(Withdrawn.class);
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    @DisplayName("past events are numbered after what the store holds, and today's commands continue after them")
    void numbersAfterStoredEvents(PayloadFormat format) {
        Repository<Wallet> wallets = wallets(format);
        wallets.apply(new Wallet.Deposit("w-2", new BigDecimal("5.00"), "EUR", "card"));

        List<Record> past = PastEvents.into(wallets).append("w-2",
                PastEvent.of("Deposited", 1, "{\"amount\": 1.50}"),
                PastEvent.of("Deposited", 2, "{\"money\": {\"amount\": 3.00, \"currency\": \"EUR\"}}"));
        long version = wallets.apply(new Wallet.Deposit("w-2", new BigDecimal("0.50"), "EUR", "app"));

        assertThat(past).extracting(Record::version).containsExactly(2L, 3L);
        assertThat(version).isEqualTo(4);
        Wallet wallet = wallets.load("w-2");
        assertThat(wallet.balance()).isEqualByComparingTo("10.00");
        assertThat(wallet.channels()).containsExactly("EUR via card", "EUR via branch", "EUR via branch",
                "EUR via app");
        assertThat(wallets.store().load("w-2")).extracting(Record::revision).containsExactly(3, 1, 2, 3);
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    @DisplayName("the payload is stored as given; the record gets the type, revision, time and metadata")
    void storesThePayloadAsGivenAndTheEnvelopeInTheRecord(PayloadFormat format) {
        Repository<Wallet> wallets = wallets(format);

        Record record = PastEvents.into(wallets).append("w-3",
                PastEvent.of("Deposited", 1, "{\"amount\": 12.50, \"memo\": \"rent\"}").at(MARCH_2021)
                        .metadata(Map.of("user", "ada"))).get(0);

        Record loaded = wallets.store().load("w-3").get(0);
        assertThat(loaded.aggregateType()).isEqualTo("Wallet");
        assertThat(loaded.type()).isEqualTo("Deposited");
        assertThat(loaded.at()).isEqualTo(MARCH_2021);
        assertThat(loaded.metadata()).isEqualTo(Map.of("user", "ada"));
        JsonNode payload = tree(format, loaded.data());
        assertThat(payload).as("as today's payloads: the record's columns hold id, version and time")
                .isEqualTo(EXACT.readTree("{\"amount\": 12.50, \"memo\": \"rent\"}"));
        assertThat(tree(format, record.data())).isEqualTo(payload);
        if (format == PayloadFormat.JSON) {
            assertThat(new String(loaded.data(), StandardCharsets.UTF_8)).contains("12.50");
        } else {
            assertThat(loaded.data()[0] & 0xE0).as("a CBOR map, not JSON text").isEqualTo(0xA0);
        }
        assertThat(wallets.history("w-3").get(0).event().at()).isEqualTo(MARCH_2021);
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    @DisplayName("a payload's own at is the event's time; its own aggregateId and version are kept when they fit")
    void keepsFittingEnvelopeFields(PayloadFormat format) {
        Repository<Wallet> wallets = wallets(format);

        PastEvents.into(wallets).append("w-4", "WalletOpened", 1,
                "{\"aggregateId\": \"w-4\", \"version\": 1, \"at\": \"2020-01-02T03:04:05Z\", \"owner\": \"Grace\"}");

        Record loaded = wallets.store().load("w-4").get(0);
        assertThat(loaded.at()).isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
        assertThat(wallets.history("w-4").get(0).event())
                .isEqualTo(new WalletOpened("w-4", 1, Instant.parse("2020-01-02T03:04:05Z"), "Grace"));
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    @DisplayName("the global stream reads past events with today's classes")
    void globalStreamReadsPastEvents(PayloadFormat format) {
        Repository<Wallet> wallets = wallets(format);
        PastEvents past = PastEvents.into(wallets);
        past.append("w-5", "Deposited", 1, "{\"amount\": 1.00}");
        past.append("w-6", "Deposited", 2, "{\"money\": {\"amount\": 2.00, \"currency\": \"CHF\"}}");

        List<Deposited> deposits = wallets.store().readAll(0, 10).stream()
                .map(record -> (Deposited) wallets.serializer().unmarshal(record)).toList();

        assertThat(deposits).extracting(Deposited::aggregateId).containsExactly("w-5", "w-6");
        assertThat(deposits).extracting(deposited -> deposited.money().currency()).containsExactly("EUR", "CHF");
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    @DisplayName("reading upcasts on every read and never rewrites the stored bytes")
    void bytesUnchangedByReads(PayloadFormat format) {
        Repository<Wallet> wallets = wallets(format);
        PastEvents.into(wallets).append("w-7", "Deposited", 1, "{\"amount\": 7.00}");
        byte[] before = wallets.store().load("w-7").get(0).data();

        for (int i = 0; i < 3; i++) {
            assertThat(wallets.load("w-7").balance()).isEqualByComparingTo("7.00");
            wallets.history("w-7");
            wallets.store().readAll(0, 10).forEach(wallets.serializer()::unmarshal);
        }

        Record after = wallets.store().load("w-7").get(0);
        assertThat(after.data()).isEqualTo(before);
        assertThat(after.revision()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    @DisplayName("a past event of a revision newer than its class is stored as such and refused on read")
    void newerRevisionIsRefused(PayloadFormat format) {
        Repository<Wallet> wallets = wallets(format);
        PastEvents.into(wallets).append("w-8", "Deposited", 4, "{\"money\": {\"amount\": 1, \"currency\": \"EUR\"}}");

        EventRevisionException refused = catchThrowableOfType(EventRevisionException.class,
                () -> wallets.load("w-8"));

        assertThat(refused).as("load of a revision-4 event with a revision-3 class").isNotNull();
        assertThat(refused).hasMessageContaining("Deposited revision 4").hasMessageContaining("'w-8'")
                .hasMessageContaining("revision 3");
    }

    private static JsonNode tree(PayloadFormat format, byte[] data) {
        return format == PayloadFormat.JSON ? EXACT.readTree(data)
                : CBORMapper.builder().build().readTree(data);
    }
}
