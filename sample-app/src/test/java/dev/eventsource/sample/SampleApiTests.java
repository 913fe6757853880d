package dev.eventsource.sample;

import dev.eventsource.Store;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's REST contract, through real HTTP on a random port: every endpoint, every refusal (with nothing
 * stored), concurrent renames and what the actuator shows. Subclasses choose the database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class SampleApiTests {

    static final String PROBLEM_JSON = "application/problem+json";

    @LocalServerPort
    int port;

    @Autowired
    Store store;

    @Autowired
    MeterRegistry meters;

    @Autowired
    dev.eventsource.SnapshotStore snapshots;

    Http http;

    @BeforeEach
    void connect() {
        this.http = new Http(this.port);
    }

    // --- people ---

    @Test
    void createsPersonWithLocationAndTimeOrderedId() {
        Http.Response created = this.http.post("/people", "{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = created.json();
        String id = body.get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/people/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(UUID.fromString(id).version()).isEqualTo(7);
        assertThat(body.properties()).hasSize(4);
        assertThat(body.get("name").asString()).isEqualTo("Ada Lovelace");
        assertThat(body.get("email").asString()).isEqualTo("ada@example.com");
        assertThat(body.get("version").asLong()).isEqualTo(1);

        Http.Response read = this.http.get(created.header("Location"));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("Content-Type")).isEqualTo("application/json");
        assertThat(read.json()).isEqualTo(body);

        String next = createPerson("Grace", "grace@example.com");
        assertThat(next).as("ids sort by creation time").isGreaterThan(id);
    }

    @Test
    void listsPeopleFromTheProjectionWithinABoundedWait() {
        String id = createPerson("Ada", "ada@example.com");
        this.http.put("/people/" + id + "/name", "{\"name\":\"Ada Lovelace\"}");

        // GET /people reads a projection: eventually consistent, so poll (bounded) instead of expecting it at once.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        tools.jackson.databind.JsonNode listed = null;
        while (System.nanoTime() < deadline) {
            Http.Response list = this.http.get("/people");
            assertThat(list.status()).isEqualTo(200);
            for (tools.jackson.databind.JsonNode person : list.json()) {
                if (person.get("id").asString().equals(id) && person.get("version").asLong() == 2) {
                    listed = person;
                }
            }
            if (listed != null) {
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }

        assertThat(listed).as("person %s at version 2 listed within 30 s", id).isNotNull();
        assertThat(listed).isEqualTo(person(id, "Ada Lovelace", "ada@example.com", 2));
    }

    @Test
    void renamesAndChangesEmailAndShowsHistoryWithUsers() {
        Http.Response created = this.http.post("/people", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}",
                "X-User", "alice");
        String id = created.json().get("id").asString();

        Http.Response renamed = this.http.put("/people/" + id + "/name", "{\"name\":\"Ada Lovelace\"}", "X-User", "bob");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.header("ETag")).isEqualTo("\"2\"");
        assertThat(renamed.json()).isEqualTo(person(id, "Ada Lovelace", "ada@example.com", 2));

        Http.Response changed = this.http.put("/people/" + id + "/email", "{\"email\":\"ada@lovelace.org\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json()).isEqualTo(person(id, "Ada Lovelace", "ada@lovelace.org", 3));
        assertThat(this.http.get("/people/" + id).json()).isEqualTo(changed.json());

        Http.Response events = this.http.get("/people/" + id + "/events");
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.header("Content-Type")).isEqualTo("application/json");
        JsonNode history = events.json();
        assertThat(history).hasSize(3);
        assertEvent(history.get(0), 1, "PersonCreated", "alice", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}");
        assertEvent(history.get(1), 2, "NameChanged", "bob", "{\"name\":\"Ada Lovelace\"}");
        assertEvent(history.get(2), 3, "EmailChanged", "anonymous", "{\"email\":\"ada@lovelace.org\"}");
        assertThat(history.get(0).get("at").asString()).isLessThanOrEqualTo(history.get(2).get("at").asString());
    }

    @Test
    void renameToCurrentNameChangesNothing() {
        String id = createPerson("Ada", "ada@example.com");
        Http.Response same = this.http.put("/people/" + id + "/name", "{\"name\":\"Ada\"}");
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json()).isEqualTo(person(id, "Ada", "ada@example.com", 1));
        assertThat(this.http.get("/people/" + id + "/events").json()).hasSize(1);
    }

    @Test
    void changesWithCurrentIfMatchVersion() {
        String id = createPerson("Ada", "ada@example.com");
        Http.Response renamed = this.http.put("/people/" + id + "/name", "{\"name\":\"Ada L\"}", "If-Match", "\"1\"");
        assertThat(renamed.status()).isEqualTo(200);
        Http.Response changed = this.http.put("/people/" + id + "/email", "{\"email\":\"a@l.org\"}",
                "If-Match", renamed.header("ETag"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("version").asLong()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "name  | {\"name\":\"Someone Else\"}",
        "email | {\"email\":\"else@example.com\"}" })
    void refusesStaleIfMatchWith409AndStoresNothing(String field, String body) {
        String id = createPerson("Ada", "ada@example.com");
        this.http.put("/people/" + id + "/name", "{\"name\":\"Ada L\"}");
        int before = storedEvents();

        Http.Response stale = this.http.put("/people/" + id + "/" + field, body, "If-Match", "\"1\"");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.header("Content-Type")).isEqualTo(PROBLEM_JSON);
        assertThat(stale.json().get("status").asInt()).isEqualTo(409);
        assertThat(stale.json().get("detail").asString())
            .contains(id).contains("version 2, not 1").contains("If-Match: \"2\"");
        assertThat(this.http.get("/people/" + id + "/events").json()).hasSize(2);
        assertThat(this.http.get("/people/" + id).json()).isEqualTo(person(id, "Ada L", "ada@example.com", 2));
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void refusesIfMatchThatIsNoVersion() {
        String id = createPerson("Ada", "ada@example.com");
        Http.Response refused = this.http.put("/people/" + id + "/name", "{\"name\":\"B\"}", "If-Match", "W/\"abc\"");
        assertProblem(refused, 400, "If-Match");
        assertThat(this.http.get("/people/" + id + "/events").json()).hasSize(1);
    }

    @Test
    void answersUnknownPersonWith404() {
        String unknown = UUID.randomUUID().toString();
        int before = storedEvents();
        assertProblem(this.http.get("/people/" + unknown), 404, "No person with id '" + unknown + "'");
        assertProblem(this.http.get("/people/" + unknown + "/events"), 404, unknown);
        assertProblem(this.http.put("/people/" + unknown + "/name", "{\"name\":\"Ada\"}"), 404, unknown);
        assertProblem(this.http.put("/people/" + unknown + "/email", "{\"email\":\"a@b.org\"}"), 404, unknown);
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void answersIdsOfTheOtherKindWith404AndStoresNothing() {
        String person = createPerson("Ada", "ada@example.com");
        Http.Response opened = this.http.post("/accounts", "{\"owner\":\"Ada\"}");
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String account = opened.json().get("id").asString();
        int before = storedEvents();

        assertProblem(this.http.get("/people/" + account), 404, "No person with id '" + account + "'");
        assertProblem(this.http.get("/people/" + account + "/events"), 404, account);
        assertProblem(this.http.put("/people/" + account + "/name", "{\"name\":\"Eve\"}"), 404, account);
        assertProblem(this.http.put("/people/" + account + "/email", "{\"email\":\"e@b.org\"}"), 404, account);
        assertProblem(this.http.get("/accounts/" + person), 404, "No account with id '" + person + "'");
        assertProblem(this.http.get("/accounts/" + person + "/events"), 404, person);
        assertProblem(this.http.post("/accounts/" + person + "/deposits", "{\"amount\":10}"), 404, person);
        assertProblem(this.http.post("/accounts/" + person + "/withdrawals", "{\"amount\":10}"), 404, person);
        assertThat(storedEvents()).isEqualTo(before);
        assertThat(this.http.get("/people/" + person).status()).isEqualTo(200);
        assertThat(this.http.get("/accounts/" + account).status()).isEqualTo(200);
    }

    @Test
    void refusesAnUnanswerableAcceptOrContentTypeBeforeTheCommandRuns() {
        String id = createPerson("Ada", "ada@example.com");
        int before = storedEvents();

        Http.Response xml = this.http.post("/accounts", "{\"owner\":\"Ada\"}", "Accept", "application/xml");
        assertThat(xml.status()).isEqualTo(406);
        assertThat(xml.header("ETag")).isNull();
        assertThat(xml.header("Location")).isNull();
        assertThat(this.http.put("/people/" + id + "/name", "{\"name\":\"Eve\"}", "Accept", "text/html").status())
            .isEqualTo(406);
        assertThat(this.http.post("/people", "name=Eve", "Content-Type", "application/x-www-form-urlencoded").status())
            .isEqualTo(415);
        assertThat(storedEvents()).isEqualTo(before);
        assertThat(this.http.get("/people/" + id).json().get("name").asString()).isEqualTo("Ada");
    }

    @Test
    void everyAnswerCarriesTheProtectiveHeaders() {
        for (Http.Response response : List.of(this.http.get("/people"), this.http.get("/people/nobody"),
                this.http.post("/people", "{"))) {
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void retriedRequestsWithAnIdempotencyKeyAreAnsweredOnceAndStoreNothingNew() {
        String key = UUID.randomUUID().toString();
        Http.Response created = this.http.post("/people", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}",
                "Idempotency-Key", key);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        int afterCreate = storedEvents();
        // The same request again, its body spaced and ordered differently: the same answer, nothing stored.
        Http.Response retried = this.http.post("/people", "{ \"email\": \"ada@example.com\", \"name\": \"Ada\" }",
                "Idempotency-Key", key);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.header("Location")).isEqualTo(created.header("Location"));
        assertThat(retried.body()).isEqualTo(created.body());
        assertThat(storedEvents()).isEqualTo(afterCreate);

        Http.Response opened = this.http.post("/accounts", "{\"owner\":\"Ada\"}");
        String account = opened.json().get("id").asString();
        String pay = UUID.randomUUID().toString();
        Http.Response deposit = this.http.post("/accounts/" + account + "/deposits", "{\"amount\":10}",
                "Idempotency-Key", pay);
        Http.Response again = this.http.post("/accounts/" + account + "/deposits", "{\"amount\":10}",
                "Idempotency-Key", pay);
        assertThat(deposit.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(deposit.body()).isEqualTo(account(account, "10.00", 2));
        assertThat(this.http.get("/accounts/" + account).body()).isEqualTo(account(account, "10.00", 2));
        int afterDeposit = storedEvents();

        // The same key with another request: refused, nothing stored.
        assertProblem(this.http.post("/accounts/" + account + "/deposits", "{\"amount\":20}", "Idempotency-Key", pay),
                422, "was already used with another request");
        assertProblem(this.http.post("/people", "{\"name\":\"Eve\",\"email\":\"eve@example.com\"}",
                "Idempotency-Key", key), 422, "was already used with another request");
        assertThat(storedEvents()).isEqualTo(afterDeposit);
        assertThat(this.http.get("/accounts/" + account).body()).isEqualTo(account(account, "10.00", 2));
    }

    @Test
    void aLongAccountHistoryLoadsFromASnapshotAndAKeyedDepositBeforeItIsStillPaidOnce() {
        String account = this.http.post("/accounts", "{\"owner\":\"Ada\"}").json().get("id").asString();
        String early = UUID.randomUUID().toString();
        assertThat(this.http.post("/accounts/" + account + "/deposits", "{\"amount\":1}", "Idempotency-Key", early)
                .status()).isEqualTo(200);
        for (int i = 0; i < 229; i++) {
            assertThat(this.http.post("/accounts/" + account + "/deposits", "{\"amount\":1}").status())
                    .isEqualTo(200);
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (this.snapshots.load("Account", account) == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        dev.eventsource.Snapshot snapshot = this.snapshots.load("Account", account);
        assertThat(snapshot).as("a snapshot, taken off the request thread once 50 events were replayed or appended")
                .isNotNull();
        assertThat(snapshot.version()).isBetween(50L, 231L);
        double hits = this.meters.counter("eventsource.repository.snapshots", "aggregate", "Account", "outcome", "hit")
                .count();

        assertThat(this.http.get("/accounts/" + account).body()).isEqualTo(account(account, "230.00", 231));
        assertThat(this.meters.counter("eventsource.repository.snapshots", "aggregate", "Account", "outcome", "hit")
                .count()).isGreaterThan(hits);
        // The keyed deposit is older than the snapshot: repeating it still pays nothing.
        Http.Response again = this.http.post("/accounts/" + account + "/deposits", "{\"amount\":1}",
                "Idempotency-Key", early);
        assertThat(again.status()).isEqualTo(200);
        assertThat(this.http.get("/accounts/" + account).body()).isEqualTo(account(account, "230.00", 231));
    }

    @Test
    void racingCopiesOfAKeyedDepositPayOnce() throws Exception {
        String account = this.http.post("/accounts", "{\"owner\":\"Ada\"}").json().get("id").asString();
        String key = UUID.randomUUID().toString();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Http.Response>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> this.http.post("/accounts/" + account + "/deposits", "{\"amount\":5}",
                        "Idempotency-Key", key)));
            }
            for (java.util.concurrent.Future<Http.Response> answer : answers) {
                Http.Response response = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(account(account, "5.00", 2));
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(this.http.get("/accounts/" + account + "/events").json()).hasSize(2);
    }

    @ParameterizedTest(name = "Idempotency-Key `{0}` -> 400")
    @ValueSource(strings = { "", "has space", "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" })
    void refusesUnusableIdempotencyKeys(String key) {
        int before = storedEvents();
        assertProblem(this.http.post("/accounts", "{\"owner\":\"Ada\"}", "Idempotency-Key", key), 400,
                "Idempotency-Key");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @ParameterizedTest(name = "POST /people {0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"name\":\"\",\"email\":\"ada@example.com\"}                  | 'name' must not be blank",
        "{\"name\":\"   \",\"email\":\"ada@example.com\"}               | 'name' must not be blank",
        "{\"email\":\"ada@example.com\"}                                | 'name' must not be blank",
        "{\"name\":\"Ada\",\"email\":\"not-an-email\"}                  | 'email' must be an email address",
        "{\"name\":\"Ada\",\"email\":\"\"}                              | 'email' must not be blank",
        "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"age\":36}    | Unknown field 'age'",
        "{\"name\":\"Ada\",\"email\":                                   | not valid JSON",
        "{\"name\":[\"Ada\"],\"email\":\"ada@example.com\"}             | Field 'name' must be a string",
        "[]                                                             | must be a JSON object" })
    void refusesInvalidPersonWith400AndStoresNothing(String body, String detail) {
        int before = storedEvents();
        assertProblem(this.http.post("/people", body), 400, detail);
        assertThat(storedEvents()).isEqualTo(before);
    }

    @ParameterizedTest(name = "PUT /people/id/{0} {1} -> 400 naming {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "name  | {\"name\":\"\"}                          | 'name' must not be blank",
        "name  | {\"name\":\"Ada\",\"nick\":\"A\"}        | Unknown field 'nick'",
        "name  | {\"name\":                               | not valid JSON",
        "email | {\"email\":\"ada.example.com\"}          | 'email' must be an email address",
        "email | {\"email\":\"a@b.org\",\"name\":\"X\"}   | Unknown field 'name'",
        "email | {}                                      | 'email' must not be blank" })
    void refusesInvalidChangeWith400AndStoresNothing(String field, String body, String detail) {
        String id = createPerson("Ada", "ada@example.com");
        assertProblem(this.http.put("/people/" + id + "/" + field, body), 400, detail);
        assertThat(this.http.get("/people/" + id + "/events").json()).hasSize(1);
        assertThat(this.http.get("/people/" + id).json()).isEqualTo(person(id, "Ada", "ada@example.com", 1));
    }

    @Test
    void refusesOverlongUserHeaderAndStoresNothing() {
        String id = createPerson("Ada", "ada@example.com");
        Http.Response refused = this.http.put("/people/" + id + "/name", "{\"name\":\"B\"}", "X-User", "u".repeat(65));
        assertProblem(refused, 400, "X-User");
        assertThat(this.http.get("/people/" + id + "/events").json()).hasSize(1);
    }

    @Test
    void refusesBodyThatIsNotJsonWith415() {
        Http.Response refused = this.http.post("/people", "name=Ada", "Content-Type", "text/plain");
        assertProblem(refused, 415, "text/plain");
    }

    // --- accounts ---

    @Test
    void opensAccountDepositsAndWithdraws() {
        Http.Response opened = this.http.post("/accounts", "{\"owner\":\"Ada\"}", "X-User", "teller");
        assertThat(opened.status()).isEqualTo(201);
        assertThat(opened.header("Content-Type")).isEqualTo("application/json");
        String id = opened.json().get("id").asString();
        assertThat(UUID.fromString(id).version()).isEqualTo(7);
        assertThat(opened.header("Location")).isEqualTo("/accounts/" + id);
        assertThat(opened.body()).isEqualTo("{\"id\":\"" + id + "\",\"owner\":\"Ada\",\"balance\":0.00,\"version\":1}");

        Http.Response deposited = this.http.post("/accounts/" + id + "/deposits", "{\"amount\":100.5}");
        assertThat(deposited.status()).isEqualTo(200);
        assertThat(deposited.body()).isEqualTo(account(id, "100.50", 2));

        Http.Response withdrawn = this.http.post("/accounts/" + id + "/withdrawals", "{\"amount\":30.25}",
                "X-User", "ada");
        assertThat(withdrawn.status()).isEqualTo(200);
        assertThat(withdrawn.body()).isEqualTo(account(id, "70.25", 3));

        Http.Response all = this.http.post("/accounts/" + id + "/withdrawals", "{\"amount\":70.25}");
        assertThat(all.body()).as("the whole balance may be withdrawn").isEqualTo(account(id, "0.00", 4));

        Http.Response read = this.http.get("/accounts/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(account(id, "0.00", 4));

        Http.Response events = this.http.get("/accounts/" + id + "/events");
        assertThat(events.status()).isEqualTo(200);
        JsonNode history = events.json();
        assertThat(history).hasSize(4);
        assertEvent(history.get(0), 1, "AccountOpened", "teller", "{\"owner\":\"Ada\"}");
        assertEvent(history.get(1), 2, "MoneyDeposited", "anonymous", "{\"amount\":100.50}");
        assertEvent(history.get(2), 3, "MoneyWithdrawn", "ada", "{\"amount\":30.25}");
        assertEvent(history.get(3), 4, "MoneyWithdrawn", "anonymous", "{\"amount\":70.25}");
        assertThat(events.body()).contains("\"data\":{\"amount\":100.50}");
    }

    @Test
    void refusesOverdraftWith422AndStoresNothing() {
        String id = this.http.post("/accounts", "{\"owner\":\"Ada\"}").json().get("id").asString();
        this.http.post("/accounts/" + id + "/deposits", "{\"amount\":10}");

        Http.Response refused = this.http.post("/accounts/" + id + "/withdrawals", "{\"amount\":10.01}");
        assertProblem(refused, 422, "Cannot withdraw 10.01 from account '" + id + "': its balance is 10.00");
        assertThat(this.http.get("/accounts/" + id + "/events").json()).hasSize(2);
        assertThat(this.http.get("/accounts/" + id).body()).isEqualTo(account(id, "10.00", 2));
    }

    @ParameterizedTest(name = "{0} {1} -> 400 naming {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "deposits    | {\"amount\":0}                    | 'amount' must be greater than 0",
        "deposits    | {\"amount\":-5}                   | 'amount' must be greater than 0",
        "deposits    | {\"amount\":1.005}                | 'amount' must have at most 2 decimals",
        "deposits    | {}                                | 'amount' must not be null",
        "deposits    | {\"amount\":\"ten\"}              | Field 'amount' must be a number",
        "deposits    | {\"amount\":5,\"currency\":\"EUR\"} | Unknown field 'currency'",
        "deposits    | {\"amount\":5                     | not valid JSON",
        "withdrawals | {\"amount\":-1}                   | 'amount' must be greater than 0",
        "withdrawals | {\"amount\":0.001}                | 'amount' must have at most 2 decimals",
        "withdrawals | {\"amount\":null}                 | 'amount' must not be null" })
    void refusesInvalidAmountWith400AndStoresNothing(String operation, String body, String detail) {
        String id = this.http.post("/accounts", "{\"owner\":\"Ada\"}").json().get("id").asString();
        this.http.post("/accounts/" + id + "/deposits", "{\"amount\":10}");
        assertProblem(this.http.post("/accounts/" + id + "/" + operation, body), 400, detail);
        assertThat(this.http.get("/accounts/" + id + "/events").json()).hasSize(2);
        assertThat(this.http.get("/accounts/" + id).body()).isEqualTo(account(id, "10.00", 2));
    }

    @ParameterizedTest(name = "POST /accounts {0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"owner\":\" \"}                  | 'owner' must not be blank",
        "{}                                 | 'owner' must not be blank",
        "{\"owner\":\"Ada\",\"balance\":5}  | Unknown field 'balance'",
        "{owner: Ada}                       | not valid JSON" })
    void refusesInvalidAccountWith400AndStoresNothing(String body, String detail) {
        int before = storedEvents();
        assertProblem(this.http.post("/accounts", body), 400, detail);
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void answersUnknownAccountWith404() {
        String unknown = UUID.randomUUID().toString();
        int before = storedEvents();
        assertProblem(this.http.get("/accounts/" + unknown), 404, "No account with id '" + unknown + "'");
        assertProblem(this.http.get("/accounts/" + unknown + "/events"), 404, unknown);
        assertProblem(this.http.post("/accounts/" + unknown + "/deposits", "{\"amount\":1}"), 404, unknown);
        assertProblem(this.http.post("/accounts/" + unknown + "/withdrawals", "{\"amount\":1}"), 404, unknown);
        assertThat(storedEvents()).isEqualTo(before);
    }

    // --- concurrency and operations ---

    @Test
    void twentyParallelRenamesWithoutIfMatchAllSucceed() throws Exception {
        String id = createPerson("Ada", "ada@example.com");
        int renames = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(renames);
        try {
            List<Future<Http.Response>> responses = new ArrayList<>();
            for (int i = 0; i < renames; i++) {
                String name = "Ada " + i;
                responses.add(pool.submit(() -> {
                    start.await();
                    return this.http.put("/people/" + id + "/name", "{\"name\":\"" + name + "\"}", "X-User", name);
                }));
            }
            start.countDown();
            for (Future<Http.Response> response : responses) {
                assertThat(response.get().status()).as(response.get().body()).isEqualTo(200);
            }
        }
        finally {
            pool.shutdownNow();
        }
        JsonNode history = this.http.get("/people/" + id + "/events").json();
        assertThat(history).hasSize(renames + 1);
        List<Long> versions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode event : history) {
            versions.add(event.get("version").asLong());
            if (event.get("type").asString().equals("NameChanged")) {
                // Each rename was stored once, with the user of its own request.
                assertThat(event.get("user").asString()).isEqualTo(event.get("data").get("name").asString());
                names.add(event.get("data").get("name").asString());
            }
        }
        assertThat(versions).containsExactlyElementsOf(LongStream.rangeClosed(1, renames + 1).boxed().toList());
        assertThat(names).hasSize(renames).doesNotHaveDuplicates();
        assertThat(this.http.get("/people/" + id).json().get("version").asLong()).isEqualTo(renames + 1);
    }

    @Test
    void exposesHealthButNotMetricsToCallers() {
        createPerson("Ada", "ada@example.com");
        Http.Response health = this.http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().has("components")).as("no details for anonymous callers").isFalse();

        // Metrics, environment, beans... are not on the API's port (see ManagementPortTests for where they are).
        for (String endpoint : List.of("/actuator/metrics", "/actuator/metrics/eventsource.repository.events.appended",
                "/actuator/env", "/actuator/beans", "/actuator/configprops", "/actuator/heapdump")) {
            Http.Response refused = this.http.get(endpoint);
            assertThat(refused.status()).as(endpoint + ": " + refused.body()).isEqualTo(404);
            assertThat(refused.body()).doesNotContain("\"names\"").doesNotContain("\"measurements\"")
                .doesNotContain("propertySources");
        }
        assertThat(this.http.get("/actuator").body()).doesNotContain("metrics");

        // The meters are still recorded, for whoever is allowed to read them.
        assertThat(this.meters.find("eventsource.repository.events.appended").tag("aggregate", "Person").meters())
            .isNotEmpty()
            .allSatisfy((meter) -> assertThat(meter.measure().iterator().next().getValue()).isGreaterThanOrEqualTo(1));
    }

    // --- the event browser's read-only API ---

    @Test
    void browsesTheGlobalStreamPageByPageWithUsersAndPayloads() {
        long before = this.store.lastPosition();
        Http.Response created = this.http.post("/people", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}",
                "X-User", "alice");
        String person = created.json().get("id").asString();
        this.http.put("/people/" + person + "/name", "{\"name\":\"Ada Lovelace\"}", "X-User", "bob");
        String account = this.http.post("/accounts", "{\"owner\":\"Ada\"}").json().get("id").asString();
        this.http.post("/accounts/" + account + "/deposits", "{\"amount\":10.50}", "X-User", "carol");

        Http.Response all = this.http.get("/api/events?after=" + before + "&limit=500");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.header("Content-Type")).isEqualTo("application/json");
        JsonNode events = all.json().get("events");
        assertThat(events).hasSize(4);
        assertStreamEvent(events.get(0), "Person", person, 1, "PersonCreated", "alice",
                "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}");
        assertStreamEvent(events.get(1), "Person", person, 2, "NameChanged", "bob", "{\"name\":\"Ada Lovelace\"}");
        assertStreamEvent(events.get(2), "Account", account, 1, "AccountOpened", "anonymous", "{\"owner\":\"Ada\"}");
        assertStreamEvent(events.get(3), "Account", account, 2, "MoneyDeposited", "carol",
                "{\"money\":{\"amount\":10.50,\"currency\":\"EUR\"}}");
        List<Long> positions = new ArrayList<>();
        events.forEach((event) -> positions.add(event.get("position").asLong()));
        assertThat(positions).isSorted().doesNotHaveDuplicates().allSatisfy((p) -> assertThat(p).isGreaterThan(before));
        assertThat(all.json().get("head").asLong()).isEqualTo(positions.get(3));
        assertThat(all.json().get("newer").asBoolean()).isFalse();

        // Forward: two events, then the next two.
        JsonNode first = this.http.get("/api/events?after=" + before + "&limit=2").json();
        assertThat(positionsOf(first)).containsExactly(positions.get(0), positions.get(1));
        assertThat(first.get("newer").asBoolean()).isTrue();
        JsonNode second = this.http.get("/api/events?after=" + positions.get(1) + "&limit=2").json();
        assertThat(positionsOf(second)).containsExactly(positions.get(2), positions.get(3));
        assertThat(second.get("newer").asBoolean()).isFalse();
        assertThat(second.get("older").asBoolean()).isTrue();

        // Backward: the newest page by default, then the page before it.
        JsonNode newest = this.http.get("/api/events?limit=3").json();
        assertThat(positionsOf(newest)).containsExactly(positions.get(1), positions.get(2), positions.get(3));
        JsonNode older = this.http.get("/api/events?before=" + positions.get(1) + "&limit=3").json();
        assertThat(positionsOf(older)).endsWith(positions.get(0)).hasSizeLessThanOrEqualTo(3);
        assertThat(this.http.get("/api/events?before=1").json().get("events")).isEmpty();
        assertThat(this.http.get("/api/events?before=1").json().get("older").asBoolean()).isFalse();
        assertThat(this.http.get("/api/events").json().get("events").size()).isBetween(4, 20);
    }

    @Test
    void showsTheHistoryOfAnAggregateOfAnyType() {
        String account = this.http.post("/accounts", "{\"owner\":\"Ada\"}", "X-User", "alice").json().get("id")
            .asString();
        for (int i = 1; i <= 3; i++) {
            this.http.post("/accounts/" + account + "/deposits", "{\"amount\":" + i + "}");
        }

        Http.Response history = this.http.get("/api/aggregates/" + account + "/events");
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        JsonNode body = history.json();
        assertThat(body.get("aggregateType").asString()).isEqualTo("Account");
        assertThat(body.get("aggregateId").asString()).isEqualTo(account);
        assertThat(body.get("more").asBoolean()).isFalse();
        assertThat(body.get("events")).hasSize(4);
        assertStreamEvent(body.get("events").get(0), "Account", account, 1, "AccountOpened", "alice",
                "{\"owner\":\"Ada\"}");
        assertStreamEvent(body.get("events").get(3), "Account", account, 4, "MoneyDeposited", "anonymous",
                "{\"money\":{\"amount\":3.00,\"currency\":\"EUR\"}}");

        JsonNode page = this.http.get("/api/aggregates/" + account + "/events?after=1&limit=2").json();
        assertThat(page.get("events")).extracting((event) -> event.get("version").asLong()).containsExactly(2L, 3L);
        assertThat(page.get("more").asBoolean()).isTrue();
        JsonNode past = this.http.get("/api/aggregates/" + account + "/events?after=4").json();
        assertThat(past.get("events")).isEmpty();
        assertThat(past.get("aggregateType").asString()).isEqualTo("Account");

        String unknown = UUID.randomUUID().toString();
        assertProblem(this.http.get("/api/aggregates/" + unknown + "/events"), 404, "No aggregate with id '" + unknown + "'");
    }

    @ParameterizedTest(name = "GET {0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "/api/events?limit=0                   | 'limit' must be from 1 to 500, got 0",
        "/api/events?limit=501                 | 'limit' must be from 1 to 500, got 501",
        "/api/events?limit=ten                 | 'limit' must be a page size, a whole number from 1 to 500, got 'ten'",
        "/api/events?after=-1                  | 'after' must be at least 0, got -1",
        "/api/events?after=1.5                 | 'after' must be a position in the stream, a whole number from 0",
        "/api/events?before=0                  | 'before' must be at least 1, got 0",
        "/api/events?after=1&before=5          | either 'after'",
        "/api/aggregates/x/events?limit=100000 | 'limit' must be from 1 to 500",
        "/api/aggregates/x/events?after=first  | 'after' must be a position",
        "/api/aggregates/%E2%80%AEx/events     | Aggregate id must not contain bidirectional control characters" })
    void refusesBadBrowserQueriesWith400(String path, String detail) {
        assertProblem(this.http.get(path), 400, detail);
    }

    @Test
    void servesTheEventBrowserPageUnderAContentSecurityPolicy() {
        for (String path : List.of("/", "/browser.js", "/browser.css", "/favicon.svg", "/api/browser")) {
            Http.Response response = this.http.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.header("Content-Security-Policy")).as(path)
                .startsWith("default-src 'self';").contains("frame-ancestors 'none'");
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        Http.Response page = this.http.get("/");
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<title>Event browser").contains("<script src=\"browser.js\" defer>")
            .doesNotContain("<script>").doesNotContain("style=").doesNotContain("http://").doesNotContain("https://");
        // Data reaches the page as text only: nothing in the script parses markup or evaluates code.
        assertThat(this.http.get("/browser.js").body()).doesNotContain("innerHTML").doesNotContain("outerHTML")
            .doesNotContain("insertAdjacentHTML").doesNotContain("document.write").doesNotContain("eval(")
            .doesNotContain("new Function");
    }

    @Test
    void tellsThePageTheEndpointIsReadOnlyByDefault() {
        Http.Response settings = this.http.get("/api/browser");
        assertThat(settings.status()).isEqualTo(200);
        assertThat(settings.json().get("writable").asBoolean()).isFalse();
        assertThat(settings.json().get("endpoint").asString()).isEqualTo("/actuator/eventsource");
        assertThat(settings.json().get("note").asString()).contains("management.endpoint.eventsource.access");
    }

    @Test
    void showsTheEventSourceEndpointReadOnly() {
        createPerson("Ada", "ada@example.com");
        Http.Response endpoint = this.http.get("/actuator/eventsource");
        assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(200);
        assertThat(endpoint.json().get("store").get("kind").asString()).isEqualTo("jdbc");
        assertThat(endpoint.json().get("store").get("head").asLong()).isPositive();
        List<String> subscriptions = new java.util.ArrayList<>();
        endpoint.json().get("subscriptions").forEach((subscription) -> subscriptions.add(
                subscription.get("name").asString() + " " + subscription.get("state").asString()));
        assertThat(subscriptions).contains("people RUNNING");

        // Operations are off: no POST is mapped, and the subscription keeps running.
        Http.Response refused = this.http.post("/actuator/eventsource/people", "{\"operation\":\"pause\"}");
        assertThat(refused.status()).isEqualTo(405);
        assertThat(this.http.get("/actuator/eventsource/people").json().get("state").asString()).isEqualTo("RUNNING");
    }

    // --- helpers ---

    String createPerson(String name, String email) {
        Http.Response created = this.http.post("/people",
                "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    JsonNode person(String id, String name, String email, long version) {
        return new Http.Response(200, null, "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"email\":\"" + email
                + "\",\"version\":" + version + "}").json();
    }

    static String account(String id, String balance, long version) {
        return "{\"id\":\"" + id + "\",\"owner\":\"Ada\",\"balance\":" + balance + ",\"version\":" + version + "}";
    }

    static void assertEvent(JsonNode event, long version, String type, String user, String data) {
        assertThat(event.properties()).extracting(java.util.Map.Entry::getKey)
            .containsExactly("version", "type", "at", "user", "data");
        assertThat(event.get("version").asLong()).isEqualTo(version);
        assertThat(event.get("type").asString()).isEqualTo(type);
        assertThat(event.get("user").asString()).isEqualTo(user);
        assertThat(java.time.Instant.parse(event.get("at").asString())).isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(event.get("data").toString()).isEqualTo(data);
    }

    static void assertStreamEvent(JsonNode event, String aggregateType, String aggregateId, long version, String type,
            String user, String payload) {
        assertThat(event.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("position", "at",
                "aggregateType", "aggregateId", "version", "type", "user", "payload", "payloadError");
        assertThat(event.get("aggregateType").asString()).isEqualTo(aggregateType);
        assertThat(event.get("aggregateId").asString()).isEqualTo(aggregateId);
        assertThat(event.get("version").asLong()).isEqualTo(version);
        assertThat(event.get("type").asString()).isEqualTo(type);
        assertThat(event.get("user").asString()).isEqualTo(user);
        assertThat(event.get("payload").toString()).isEqualTo(payload);
        assertThat(event.get("payloadError").isNull()).isTrue();
        assertThat(event.get("position").asLong()).isPositive();
        assertThat(java.time.Instant.parse(event.get("at").asString())).isBeforeOrEqualTo(java.time.Instant.now());
    }

    static List<Long> positionsOf(JsonNode page) {
        List<Long> positions = new ArrayList<>();
        page.get("events").forEach((event) -> positions.add(event.get("position").asLong()));
        return positions;
    }

    static void assertProblem(Http.Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo(PROBLEM_JSON);
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).contains(detail);
    }

    int storedEvents() {
        return this.store.readAll(0, Integer.MAX_VALUE).size();
    }
}
