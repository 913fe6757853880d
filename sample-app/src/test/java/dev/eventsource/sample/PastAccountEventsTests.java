package dev.eventsource.sample;

import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.sample.account.Account;
import dev.eventsource.test.PastEvent;
import dev.eventsource.test.PastEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts whose money events were stored by a release before money carried a currency (revision 1 of
 * {@code MoneyDeposited} and {@code MoneyWithdrawn}) read through today's HTTP API as they always did, and take new
 * commands. Subclasses choose the database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class PastAccountEventsTests {

    /** An account's history as the release before revision 2 stored it: the events' own fields, in revision 1. */
    static final List<PastEvent> BEFORE_CURRENCIES = List.of(
            PastEvent.of("AccountOpened", 1, """
                    {"owner": "Ada"}""").at(Instant.parse("2025-06-01T08:00:00Z"))
                    .metadata(Map.of("user", "teller")),
            PastEvent.of("MoneyDeposited", 1, """
                    {"amount": 100.50}""").at(Instant.parse("2025-06-02T09:15:00Z")),
            PastEvent.of("MoneyWithdrawn", 1, """
                    {"amount": 30.25}""").at(Instant.parse("2025-06-03T17:45:00Z"))
                    .metadata(Map.of("user", "ada")));

    @LocalServerPort
    int port;

    @Autowired
    Repository<Account> accounts;

    Http http;

    String id;

    @BeforeEach
    void storeAnAccountOfTheOldRelease() {
        this.http = new Http(this.port);
        this.id = UUID.randomUUID().toString();
        PastEvents.into(this.accounts).append(this.id, BEFORE_CURRENCIES);
    }

    @Test
    void readsTheOldAccountThroughTheApi() {
        Http.Response read = this.http.get("/accounts/" + this.id);

        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("{\"id\":\"" + this.id + "\",\"owner\":\"Ada\",\"balance\":70.25,\"version\":3}");
        assertThat(read.header("ETag")).isEqualTo("\"3\"");
    }

    @Test
    void showsOldMoneyEventsAsTheApiAlwaysDid() {
        JsonNode history = this.http.get("/accounts/" + this.id + "/events").json();

        assertThat(history).hasSize(3);
        SampleApiTests.assertEvent(history.get(0), 1, "AccountOpened", "teller", "{\"owner\":\"Ada\"}");
        SampleApiTests.assertEvent(history.get(1), 2, "MoneyDeposited", "anonymous", "{\"amount\":100.50}");
        SampleApiTests.assertEvent(history.get(2), 3, "MoneyWithdrawn", "ada", "{\"amount\":30.25}");
        assertThat(history.get(1).get("at").asString()).isEqualTo("2025-06-02T09:15:00Z");
    }

    @Test
    void takesNewCommandsAfterTheOldEvents() {
        Http.Response deposited = this.http.post("/accounts/" + this.id + "/deposits", "{\"amount\":9.75}");
        Http.Response refused = this.http.post("/accounts/" + this.id + "/withdrawals", "{\"amount\":80.01}");

        assertThat(deposited.body()).isEqualTo("{\"id\":\"" + this.id + "\",\"owner\":\"Ada\",\"balance\":80.00,\"version\":4}");
        SampleApiTests.assertProblem(refused, 422, "its balance is 80.00");
        JsonNode history = this.http.get("/accounts/" + this.id + "/events").json();
        assertThat(history).hasSize(4);
        SampleApiTests.assertEvent(history.get(3), 4, "MoneyDeposited", "anonymous", "{\"amount\":9.75}");
    }

    @Test
    void readsOldEventsWithTodaysClassesAndNeverRewritesThem() {
        List<byte[]> before = this.accounts.store().load(this.id).stream().map(Record::data).toList();

        Account account = this.accounts.load(this.id);
        this.http.get("/accounts/" + this.id + "/events");
        this.http.post("/accounts/" + this.id + "/deposits", "{\"amount\":1}");

        assertThat(account.balance()).isEqualByComparingTo("70.25");
        assertThat(this.accounts.history(this.id).get(1).event()).isEqualTo(new Account.MoneyDeposited(this.id, 2,
                Instant.parse("2025-06-02T09:15:00Z"), new Account.Money(new BigDecimal("100.50"), "EUR")));
        assertThat(this.accounts.store().load(this.id).subList(0, 3)).extracting(Record::data)
            .containsExactlyElementsOf(before);
    }

    @Test
    void storesTodaysMoneyEventsInRevision2BesideTheOldOnes() {
        this.http.post("/accounts/" + this.id + "/withdrawals", "{\"amount\":0.25}");

        assertThat(this.accounts.store().load(this.id)).extracting(Record::revision)
            .as("old rows keep revision 1; today's withdrawal is revision 2")
            .containsExactly(1, 1, 1, 2);
    }
}
