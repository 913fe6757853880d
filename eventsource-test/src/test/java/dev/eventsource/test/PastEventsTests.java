package dev.eventsource.test;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Repository;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input to {@link PastEvent} and {@link PastEvents}: clear errors, and nothing stored. */
class PastEventsTests {

    private final MemoryStore store = new MemoryStore();
    private final Repository<Wallet> wallets = Repository.builder(Wallet.class).store(store)
            .serializer(JacksonSerializer.json().addUpcasters(Wallet.DEPOSITED_1_TO_2, Wallet.DEPOSITED_2_TO_3))
            .events(Wallet.WalletOpened.class, Wallet.Withdrawn.class).build();

    @Test
    @DisplayName("a blank or missing type name is refused, saying which name to give")
    void blankType() {
        assertThatThrownBy(() -> PastEvent.of(" ", 1, "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type name it was stored under").hasMessageContaining("' '");
        assertThatThrownBy(() -> PastEvent.of(null, 1, "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got null");
    }

    @Test
    @DisplayName("a revision below 1 is refused: revisions start at 1")
    void revisionBelowOne() {
        assertThatThrownBy(() -> PastEvent.of("Deposited", 0, "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Past event Deposited revision 0: revisions start at 1 (an event stored before its "
                        + "class declared a revision is revision 1)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"amount\": 12.50                 | malformed",
        "{\"amount\": 12.50}} trailing      | malformed",
        "{\"amount\": 1, \"amount\": 2}     | malformed",
        "[1, 2]                             | is an array, not an object",
        "12.50                              | is a number, not an object",
        "null                               | is null, not an object",
    })
    @DisplayName("JSON that is malformed or not an object is refused, naming the event")
    void badJson(String json, String problem) {
        assertThatThrownBy(() -> PastEvent.of("Deposited", 1, json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Past event Deposited revision 1: the JSON ")
                .hasMessageContaining(problem).hasMessageContaining("{\"amount\": 100.50}");
    }

    @Test
    @DisplayName("a malformed JSON's error says where")
    void malformedJsonSaysWhere() {
        assertThatThrownBy(() -> PastEvent.of("Deposited", 1, "{\n  \"amount\": 12,50\n}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(line 2, column");
    }

    @Test
    @DisplayName("no JSON is refused, suggesting {} for an event without fields")
    void blankJson() {
        assertThatThrownBy(() -> PastEvent.of("Deposited", 1, " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no JSON").hasMessageContaining("{}");
        assertThatThrownBy(() -> PastEvent.of("Deposited", 1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no JSON");
    }

    @Test
    @DisplayName("null metadata keys or values and a null time are refused")
    void nullMetadataAndTime() {
        PastEvent event = PastEvent.of("Deposited", 1, "{}");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("user", null);

        assertThatThrownBy(() -> event.metadata(nullValue)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null value for 'user'");
        assertThatThrownBy(() -> event.metadata(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Map.of()");
        assertThatThrownBy(() -> event.at(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time must not be null");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"aggregateId\": \"w-2\", \"amount\": 1}  | its JSON says aggregateId \"w-2\"",
        "{\"aggregateId\": 7, \"amount\": 1}        | its JSON says aggregateId 7",
        "{\"version\": 5, \"amount\": 1}            | its JSON says version 5, but the event is appended as version 1",
        "{\"at\": \"yesterday\", \"amount\": 1}     | is no ISO-8601 instant",
    })
    @DisplayName("envelope fields in the JSON that do not fit the appended event are refused; nothing is stored")
    void envelopeMismatch(String json, String problem) {
        PastEvents past = PastEvents.into(wallets);

        assertThatThrownBy(() -> past.append("w-1", "Deposited", 1, json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Past event Deposited revision 1 ")
                .hasMessageContaining("as Wallet 'w-1' version 1").hasMessageContaining(problem);
        assertThatThrownBy(() -> store.load("w-1")).isInstanceOf(AggregateNotFoundException.class);
    }

    @Test
    @DisplayName("a time given twice, differently, is refused")
    void timeGivenTwice() {
        PastEvent event = PastEvent.of("WalletOpened", 1, "{\"at\": \"2020-01-02T03:04:05Z\", \"owner\": \"Ada\"}")
                .at(Instant.parse("2021-01-01T00:00:00Z"));

        assertThatThrownBy(() -> PastEvents.into(wallets).append("w-1", event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at(2021-01-01T00:00:00Z) differs from the JSON's at, \"2020-01-02T03:04:05Z\"");
    }

    @Test
    @DisplayName("a bad event in a batch stores none of the batch")
    void batchIsAllOrNothing() {
        PastEvents past = PastEvents.into(wallets);

        assertThatThrownBy(() -> past.append("w-1", PastEvent.of("WalletOpened", 1, "{\"owner\": \"Ada\"}"),
                PastEvent.of("Deposited", 1, "{\"version\": 1, \"amount\": 1}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> store.load("w-1")).isInstanceOf(AggregateNotFoundException.class);
    }

    @Test
    @DisplayName("a blank aggregate id, no events or a null event are refused")
    void badAppend() {
        PastEvents past = PastEvents.into(wallets);
        PastEvent event = PastEvent.of("WalletOpened", 1, "{\"owner\": \"Ada\"}");

        assertThatThrownBy(() -> past.append(" ", event)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-blank aggregate id");
        assertThatThrownBy(() -> past.append("w-1", List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got no events");
        assertThatThrownBy(() -> past.append("w-1", event, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event at index 1 is null");
    }

    @Test
    @DisplayName("into(...) refuses a missing store, format, serializer or a blank aggregate type")
    void badInto() {
        assertThatThrownBy(() -> PastEvents.into(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("repository must not be null");
        assertThatThrownBy(() -> PastEvents.into(null, PayloadFormat.JSON, "Wallet"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store must not be null");
        assertThatThrownBy(() -> PastEvents.into(store, (PayloadFormat) null, "Wallet"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload format");
        assertThatThrownBy(() -> PastEvents.into(store, JacksonSerializer.json(), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Aggregate.typeName");
    }

    @Test
    @DisplayName("into(store, serializer, type) writes the stream type given, readable by that type's repository")
    void intoStoreAndType() {
        PastEvents.into(store, wallets.serializer(), "Wallet").append("w-9", "WalletOpened", 1,
                "{\"owner\": \"Ada\"}");

        assertThat(store.load("w-9").get(0).aggregateType()).isEqualTo("Wallet");
        assertThat(wallets.load("w-9").owner()).isEqualTo("Ada");
    }

    @Test
    @DisplayName("an id that is another aggregate type's stream is refused by the store; nothing is stored")
    void otherAggregatesStream() {
        PastEvents.into(store, PayloadFormat.JSON, "Person").append("p-1", "PersonCreated", 1, "{\"name\": \"Ada\"}");

        assertThatThrownBy(() -> PastEvents.into(wallets).append("p-1", "Deposited", 1, "{\"amount\": 1}"))
                .isInstanceOf(AggregateNotFoundException.class);
        assertThat(store.load("p-1")).hasSize(1);
    }
}
