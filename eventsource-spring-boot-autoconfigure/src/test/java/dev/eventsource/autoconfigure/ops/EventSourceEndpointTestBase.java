package dev.eventsource.autoconfigure.ops;

import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.EventSourceProjections;
import dev.eventsource.subscription.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ResolvableType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The {@code eventsource} Actuator endpoint over real HTTP, on a real database: every read and write operation, the
 * refusals (400, 404, 409), write access turned off, and two application contexts on one database, where an
 * operation posted to the instance that does not hold the lease reaches the one that does.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class EventSourceEndpointTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    /** @return the JDBC URL of a fresh database for one test, shared by the contexts of that test */
    abstract String newDatabaseUrl();

    private String databaseUrl;

    @AfterEach
    void closeContexts() {
        this.contexts.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void listsTheStoreAndTheSubscription() throws Exception {
        ConfigurableApplicationContext app = start(true);
        open(app, "t-1", "first");
        open(app, "t-2", "second");
        JsonNode body = awaitBody(app, "", node -> subscriptionOf(node).get("checkpoint").asLong()
                == node.get("store").get("head").asLong());
        assertThat(body.get("store").get("kind").asString()).isEqualTo("jdbc");
        assertThat(body.get("store").get("table").asString()).isEqualTo("eventsource_events");
        assertThat(body.get("store").get("head").asLong()).isGreaterThanOrEqualTo(2);
        JsonNode titles = subscriptionOf(body);
        assertThat(titles.get("name").asString()).isEqualTo("titles");
        assertThat(titles.get("state").asString()).isEqualTo("RUNNING");
        assertThat(titles.get("failurePolicy").asString()).isEqualTo("halt");
        assertThat(titles.get("lag").asLong()).isZero();
        assertThat(titles.get("lagMillis").asLong()).isZero();
        assertThat(titles.get("owner").asString()).isEqualTo(subscription(app).owner());
        assertThat(titles.get("leaseExpiresAt").asString()).isNotBlank();
        assertThat(titles.get("deadLetters").asLong()).isZero();
        assertThat(titles.get("lastFailure").isNull()).isTrue();

        HttpResponse<String> one = get(app, "/titles");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(one.body()).get("deadLetterList").isEmpty()).isTrue();
        HttpResponse<String> unknown = get(app, "/nothing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("No subscription 'nothing'").contains("titles");
    }

    @Test
    void haltsOnAPoisonEventAndARestartAfterTheFixResumesAtIt() throws Exception {
        ConfigurableApplicationContext app = start(true);
        TicketTitles titles = app.getBean(TicketTitles.class);
        open(app, "t-1", "first");
        open(app, "t-2", "poison");
        open(app, "t-3", "third");
        JsonNode halted = awaitBody(app, "/titles", node -> node.get("state").asString().equals("HALTED"));
        JsonNode failure = halted.get("lastFailure");
        assertThat(failure.get("aggregateId").asString()).isEqualTo("t-2");
        assertThat(failure.get("eventType").asString()).isEqualTo("Opened");
        assertThat(failure.get("version").asLong()).isEqualTo(1);
        assertThat(failure.get("error").asString()).isEqualTo("IllegalStateException: cannot project poison");
        assertThat(halted.get("checkpoint").asLong()).isLessThan(failure.get("position").asLong());
        assertThat(titles.titles).containsOnlyKeys("t-1");
        assertThat(post(app, "/titles", "{\"operation\":\"resume\"}").statusCode()).as("resume when halted")
            .isEqualTo(409);

        titles.broken = false;
        HttpResponse<String> restarted = post(app, "/titles", "{\"operation\":\"restart\"}");
        assertThat(restarted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(restarted.body()).get("name").asString()).isEqualTo("titles");
        awaitBody(app, "/titles", node -> node.get("state").asString().equals("RUNNING") && node.get("lag").asLong() == 0);
        assertThat(titles.titles).containsExactlyInAnyOrderEntriesOf(Map.of("t-1", "first", "t-2", "poison", "t-3",
                "third"));
        // Batches run in a transaction: the handler saw t-1 again in each rolled-back attempt, never t-2 before the fix.
        assertThat(titles.handled).containsSubsequence("t-2@poison", "t-3@third")
            .containsOnlyOnce("t-2@poison", "t-3@third");
        HttpResponse<String> again = post(app, "/titles", "{\"operation\":\"restart\"}");
        assertThat(again.statusCode()).as("restart of a running subscription").isEqualTo(409);
        assertThat(again.body()).contains("is RUNNING").contains("HALTED");
    }

    @Test
    void skipsAHaltedEventToTheDeadLettersAndReplaysItOnceAfterTheFix() throws Exception {
        ConfigurableApplicationContext app = start(true);
        TicketTitles titles = app.getBean(TicketTitles.class);
        open(app, "t-1", "poison");
        open(app, "t-2", "second");
        awaitBody(app, "/titles", node -> node.get("state").asString().equals("HALTED"));

        assertThat(post(app, "/titles", "{\"operation\":\"skip\"}").statusCode()).isEqualTo(200);
        JsonNode skipped = awaitBody(app, "/titles", node -> node.get("deadLetters").asLong() == 1
                && node.get("lag").asLong() == 0 && node.get("state").asString().equals("RUNNING"));
        JsonNode letter = skipped.get("deadLetterList").get(0);
        assertThat(letter.get("aggregateId").asString()).isEqualTo("t-1");
        assertThat(letter.get("eventType").asString()).isEqualTo("Opened");
        assertThat(letter.get("error").asString()).isEqualTo("IllegalStateException: cannot project poison");
        assertThat(titles.titles).containsOnlyKeys("t-2");

        assertThat(post(app, "/titles", "{\"operation\":\"replay\",\"deadLetter\":" + (letter.get("id").asLong() + 1000)
                + "}").statusCode()).as("replay of an unknown dead letter").isEqualTo(404);
        titles.broken = false;
        assertThat(post(app, "/titles", "{\"operation\":\"replay\",\"deadLetter\":" + letter.get("id").asLong() + "}")
            .statusCode()).isEqualTo(200);
        awaitBody(app, "/titles", node -> node.get("deadLetters").asLong() == 0);
        assertThat(titles.titles).containsOnlyKeys("t-1", "t-2");
        assertThat(titles.handled).containsSubsequence("t-2@second", "t-1@poison").containsOnlyOnce("t-1@poison");
    }

    @Test
    void pausesAndResumes(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext app = start(true);
        TicketTitles titles = app.getBean(TicketTitles.class);
        open(app, "t-1", "first");
        awaitBody(app, "/titles", node -> node.get("lag").asLong() == 0 && node.get("checkpoint").asLong() > 0);

        assertThat(post(app, "/titles", "{\"operation\":\"pause\"}").statusCode()).isEqualTo(200);
        assertThat(output).contains("Recorded pause of subscription 'titles', asked by anonymous");
        awaitTrue("the holder pauses", () -> subscription(app).state() == Subscription.State.PAUSED);
        open(app, "t-2", "second");
        LockSupport.parkNanos(Duration.ofMillis(400).toNanos()); // several polls
        assertThat(titles.titles).containsOnlyKeys("t-1");
        JsonNode paused = JSON.readTree(get(app, "/titles").body());
        assertThat(paused.get("state").asString()).isEqualTo("PAUSED");
        assertThat(paused.get("lag").asLong()).isPositive();
        assertThat(paused.get("lagMillis").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(post(app, "/titles", "{\"operation\":\"pause\"}").statusCode()).isEqualTo(409);

        assertThat(post(app, "/titles", "{\"operation\":\"resume\"}").statusCode()).isEqualTo(200);
        awaitTrue("the resumed subscription projects t-2", () -> titles.titles.containsKey("t-2"));
        assertThat(post(app, "/titles", "{\"operation\":\"resume\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void resetRebuildsTheReadModelFromTheBeginning() throws Exception {
        ConfigurableApplicationContext app = start(true);
        TicketTitles titles = app.getBean(TicketTitles.class);
        for (int i = 1; i <= 5; i++) {
            open(app, "t-" + i, "title " + i);
        }
        awaitTrue("all projected", () -> titles.titles.size() == 5);
        Map<String, String> before = Map.copyOf(titles.titles);
        titles.titles.put("t-junk", "left by a bug");

        assertThat(post(app, "/titles", "{\"operation\":\"reset\"}").statusCode()).isEqualTo(200);
        awaitTrue("the reset hook ran and the events were handled again", () -> titles.resets.get() == 1
                && titles.handled.size() == 10);
        assertThat(titles.titles).isEqualTo(before);

        long third = JSON.readTree(get(app, "").body()).get("store").get("head").asLong() - 2;
        assertThat(post(app, "/titles", "{\"operation\":\"reset\",\"position\":" + third + "}").statusCode())
            .isEqualTo(200);
        awaitTrue("the last two events were handled again", () -> titles.resets.get() == 2
                && titles.handled.size() == 12);
        assertThat(titles.handled.subList(10, 12)).containsExactly("t-4@title 4", "t-5@title 5");
    }

    @Test
    void answersBadRequestsWithWhatIsWrong() throws Exception {
        ConfigurableApplicationContext app = start(true);
        open(app, "t-1", "first");
        awaitBody(app, "/titles", node -> node.get("checkpoint").asLong() > 0);
        HttpResponse<String> unknown = post(app, "/titles", "{\"operation\":\"explode\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("Unknown operation 'explode'");
        HttpResponse<String> missing = post(app, "/titles", "{\"operation\":\"replay\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("dead letter");
        assertThat(post(app, "/titles", "{}").statusCode()).isEqualTo(400);
        assertThat(post(app, "/nothing", "{\"operation\":\"restart\"}").statusCode()).isEqualTo(404);
        assertThat(post(app, "/titles", "{\"operation\":\"reset\",\"position\":-1}").statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(get(app, "/titles").body()).get("state").asString()).isEqualTo("RUNNING");
    }

    @Test
    void refusesWritesUnlessWriteAccessIsOnAndChangesNothing() throws Exception {
        ConfigurableApplicationContext app = start(false);
        open(app, "t-1", "first");
        awaitBody(app, "/titles", node -> node.get("checkpoint").asLong() > 0);
        HttpResponse<String> refused = post(app, "/titles", "{\"operation\":\"pause\"}");
        // Boot maps no write operation: the path exists for GET only, so Spring MVC answers 405 Method Not Allowed.
        assertThat(refused.statusCode()).isEqualTo(405);
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        assertThat(JSON.readTree(get(app, "/titles").body()).get("state").asString()).isEqualTo("RUNNING");
        assertThat(subscription(app).state()).isEqualTo(Subscription.State.ACTIVE);
        open(app, "t-2", "second");
        awaitTrue("still projecting", () -> app.getBean(TicketTitles.class).titles.containsKey("t-2"));
    }

    @Test
    void anOperationPostedToTheInstanceWithoutTheLeaseReachesTheHolder() throws Exception {
        ConfigurableApplicationContext first = start(true);
        open(first, "t-1", "first");
        awaitTrue("the first instance holds the lease", () -> subscription(first).state() == Subscription.State.ACTIVE);
        ConfigurableApplicationContext second = start(true);
        awaitTrue("the second instance stands by", () -> subscription(second).state() == Subscription.State.STANDBY);
        TicketTitles holder = first.getBean(TicketTitles.class);
        TicketTitles standby = second.getBean(TicketTitles.class);
        awaitTrue("the holder projected t-1", () -> holder.titles.containsKey("t-1"));
        JsonNode seenBySecond = JSON.readTree(get(second, "/titles").body());
        assertThat(seenBySecond.get("owner").asString()).isEqualTo(subscription(first).owner());
        assertThat(seenBySecond.get("state").asString()).isEqualTo("RUNNING");

        assertThat(post(second, "/titles", "{\"operation\":\"pause\"}").statusCode()).isEqualTo(200);
        awaitTrue("the holder pauses", () -> subscription(first).state() == Subscription.State.PAUSED);
        assertThat(JSON.readTree(get(first, "/titles").body()).get("state").asString()).isEqualTo("PAUSED");
        assertThat(post(second, "/titles", "{\"operation\":\"reset\"}").statusCode()).isEqualTo(200);
        awaitTrue("the holder ran the reset hook", () -> holder.resets.get() == 1);
        assertThat(standby.resets).hasValue(0);
        assertThat(subscription(second).state()).isEqualTo(Subscription.State.STANDBY);
        awaitTrue("the holder handled t-1 again after the reset", () -> holder.handled.size() == 2);
        assertThat(standby.handled).isEmpty();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    ConfigurableApplicationContext start(boolean writeAccess) {
        if (this.contexts.isEmpty()) {
            this.databaseUrl = newDatabaseUrl();
        }
        List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + this.databaseUrl,
                "server.port=0", "spring.main.banner-mode=off", "eventsource.jdbc.initialize-schema=always",
                "management.endpoints.web.exposure.include=health,eventsource",
                "eventsource.subscriptions.titles.poll-interval=50ms",
                "eventsource.subscriptions.titles.max-attempts=2",
                "eventsource.subscriptions.titles.backoff=10ms",
                "eventsource.subscriptions.titles.max-backoff=20ms",
                "eventsource.subscriptions.titles.lease-time=3s",
                "eventsource.subscriptions.titles.renew-interval=500ms"));
        if (writeAccess) {
            properties.add("management.endpoint.eventsource.access=unrestricted");
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OpsApplication.class)
            .properties(properties.toArray(String[]::new))
            .run();
        this.contexts.add(context);
        return context;
    }

    static Subscription subscription(ConfigurableApplicationContext context) {
        return context.getBean(EventSourceProjections.class).subscription("titles");
    }

    static void open(ConfigurableApplicationContext context, String id, String title) {
        Repository<Ticket> tickets = context.<Repository<Ticket>>getBeanProvider(
                ResolvableType.forClassWithGenerics(Repository.class, Ticket.class)).getObject();
        tickets.apply(new Ticket.Open(id, title));
    }

    private static JsonNode subscriptionOf(JsonNode body) {
        for (JsonNode subscription : body.get("subscriptions")) {
            if (subscription.get("name").asString().equals("titles")) {
                return subscription;
            }
        }
        throw new AssertionError("no subscription 'titles' in " + body);
    }

    private JsonNode awaitBody(ConfigurableApplicationContext context, String path, Predicate<JsonNode> condition)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode body = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get(context, path);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            body = JSON.readTree(response.body());
            if (condition.test(body)) {
                return body;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return fail("Timed out waiting for /actuator/eventsource" + path + ", last " + body);
    }

    static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting until " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    private HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
        return this.http.send(HttpRequest.newBuilder(uri(context, path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ConfigurableApplicationContext context, String path, String json)
            throws Exception {
        return this.http.send(HttpRequest.newBuilder(uri(context, path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext context, String path) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://localhost:" + port + "/actuator/eventsource" + path);
    }
}
