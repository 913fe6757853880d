package dev.eventsource.sample;

import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.sample.person.Person;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event browser with the {@code eventsource} endpoint's operations enabled
 * ({@code management.endpoint.eventsource.access=unrestricted}), in headless Chromium: a projection that cannot handle
 * a "poison" event halts (policy {@code halt}), the page shows it with its last failure and the operation buttons, and
 * once the projection is fixed (a test switch), the Restart button makes it handle that event and run on. The
 * screenshot of the page with the halted projection is the README's ({@code docs/event-browser.png}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoint.eventsource.access=unrestricted",
        "eventsource.subscriptions.audit.max-attempts=2",
        "eventsource.subscriptions.audit.backoff=20ms",
        "eventsource.subscriptions.audit.poll-interval=200ms",
        "eventsource.subscriptions.audit.failure-policy=halt" })
class EventBrowserOperationsTests extends EventBrowserTestBase {

    /** The name that the audit projection cannot handle until it is fixed. */
    static final String POISON = "Poison Pill";

    @Autowired
    AuditTrail audit;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @AfterEach
    void poisonAgain() {
        AuditTrail.fixed = false;
    }

    @Test
    void showsAHaltedProjectionAndRestartsItWithTheButton() throws IOException {
        JsonNode settings = this.http.get("/api/browser").json();
        assertThat(settings.get("endpoint").asString()).isEqualTo("/actuator/eventsource");
        assertThat(settings.get("writable").asBoolean()).isTrue();

        String ada = createPerson("Ada Lovelace", "alice");
        String account = this.http.post("/accounts", "{\"owner\":\"Ada\"}", "X-User", "alice").json().get("id")
            .asString();
        this.http.post("/accounts/" + account + "/deposits", "{\"amount\":250.00}", "X-User", "alice");
        String poisoned = createPerson(POISON, "mallory");
        String grace = createPerson("Grace Hopper", "bob");

        chromium.open("http://localhost:" + this.port + "/");
        WebElement row = chromium.await("the audit projection shown as HALTED", (driver) -> {
            WebElement shown = chromium.findAll("#subscriptions tr[data-subscription='audit']").stream().findFirst()
                .orElse(null);
            return (shown != null && "HALTED".equals(shown.getDomAttribute("data-state"))) ? shown : null;
        });
        assertThat(row.getText()).contains("audit", "HALTED", "halt", "Person " + poisoned, "PersonCreated",
                "IllegalStateException", "cannot audit");
        assertThat(buttonsOf(row)).containsExactly("restart", "skip", "reset");
        assertThat(this.audit.seen).contains(ada).doesNotContain(poisoned, grace);
        // The people projection, which handles the same event, runs on: only audit halted.
        WebElement people = chromium.find("#subscriptions tr[data-subscription='people']");
        assertThat(people.getDomAttribute("data-state")).isEqualTo("RUNNING");
        assertThat(buttonsOf(people)).containsExactly("pause", "reset");
        chromium.await("the stream", (driver) -> chromium.findAll("#events tbody tr[data-position]").size() >= 5);
        assertThat(chromium.consoleErrors()).isEmpty();
        Path screenshot = chromium.screenshot("event-browser.png");
        assertThat(Files.size(screenshot)).isPositive();

        // The bug fixed, the operator restarts the projection: it handles the event it halted on, then the rest.
        AuditTrail.fixed = true;
        chromium.click("#subscriptions tr[data-subscription='audit'] button[data-operation='restart']");
        chromium.await("the audit projection running again", (driver) -> "RUNNING".equals(chromium.find(
                "#subscriptions tr[data-subscription='audit']").getDomAttribute("data-state")));
        chromium.await("the poison event and the next one handled", (driver) -> this.audit.seen.contains(grace));
        assertThat(this.audit.seen).containsSubsequence(ada, poisoned, grace).doesNotHaveDuplicates();
        assertThat(chromium.find("#status").getText()).contains("Restart of \u201caudit\u201d recorded");
        assertThat(chromium.find("#error").isDisplayed()).isFalse();
        WebElement restarted = chromium.find("#subscriptions tr[data-subscription='audit']");
        assertThat(buttonsOf(restarted)).containsExactly("pause", "reset");
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void pausesResumesAndRebuildsTheSampleDirectoryWithTheButtons() {
        String ada = createPerson("Ada Lovelace", "alice");
        awaitDirectory("Ada listed", (names) -> names.contains("Ada Lovelace"));
        chromium.open("http://localhost:" + this.port + "/");
        String people = "#subscriptions tr[data-subscription='people']";
        chromium.await("people running", (driver) -> "RUNNING".equals(chromium.find(people).getDomAttribute("data-state")));

        chromium.click(people + " button[data-operation='pause']");
        chromium.await("people paused", (driver) -> "PAUSED".equals(chromium.find(people).getDomAttribute("data-state")));
        assertThat(buttonsOf(chromium.find(people))).containsExactly("resume", "reset");
        createPerson("Grace Hopper", "bob");
        // Paused: the new event waits (a few poll intervals of 500 ms pass without it).
        chromium.await("the lag shown", (driver) -> chromium.find(people).getText().contains("1 event"));
        java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(1500).toNanos());
        assertThat(directoryNames()).doesNotContain("Grace Hopper");

        chromium.click(people + " button[data-operation='resume']");
        chromium.await("people running again", (driver) -> "RUNNING".equals(chromium.find(people)
            .getDomAttribute("data-state")));
        awaitDirectory("Grace listed after resume", (names) -> names.contains("Grace Hopper"));

        // A damaged read model, rebuilt from the events by the Rebuild button (clicked twice: the first asks to confirm).
        this.jdbc.update("UPDATE people_directory SET name = 'damaged' WHERE id = ?", ada);
        assertThat(directoryNames()).contains("damaged");
        chromium.click(people + " button[data-operation='reset']");
        // The first click only asks for confirmation: nothing is reset yet.
        chromium.await("the confirmation asked", (driver) -> chromium.find(people + " button[data-operation='reset']")
            .getText().equals("Confirm rebuild?"));
        assertThat(directoryNames()).contains("damaged");
        chromium.click(people + " button[data-operation='reset']");
        chromium.await("the rebuild recorded", (driver) -> chromium.find("#status").getText()
            .contains("Rebuild of \u201cpeople\u201d recorded"));
        awaitDirectory("the directory rebuilt", (names) -> names.contains("Ada Lovelace") && !names.contains("damaged"));
        assertThat(directoryNames()).contains("Ada Lovelace", "Grace Hopper");
        chromium.await("people running after the rebuild", (driver) -> "RUNNING".equals(chromium.find(people)
            .getDomAttribute("data-state")));
        assertThat(chromium.find("#error").isDisplayed()).isFalse();
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    private List<String> directoryNames() {
        List<String> names = new java.util.ArrayList<>();
        this.http.get("/people").json().forEach((person) -> names.add(person.get("name").asString()));
        return names;
    }

    private void awaitDirectory(String what, java.util.function.Predicate<List<String>> condition) {
        chromium.await(what, (driver) -> condition.test(directoryNames()));
    }

    private String createPerson(String name, String user) {
        Http.Response created = this.http.post("/people", "{\"name\":\"" + name + "\",\"email\":\"someone@example.com\"}",
                "X-User", user);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static List<String> buttonsOf(WebElement row) {
        return row.findElements(org.openqa.selenium.By.cssSelector("button[data-operation]")).stream()
            .map((button) -> button.getDomAttribute("data-operation"))
            .toList();
    }

    /** A projection with a bug: it cannot handle the poison event until the test flips {@link #fixed}. */
    @Projection("audit")
    static class AuditTrail {

        static volatile boolean fixed;

        final List<String> seen = new CopyOnWriteArrayList<>();

        @EventHandler
        void on(Person.PersonCreated event) {
            if (event.name().equals(POISON) && !fixed) {
                throw new IllegalStateException("cannot audit " + event.aggregateId() + ": the name is poison");
            }
            this.seen.add(event.aggregateId());
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Audit {

        @Bean
        AuditTrail auditTrail() {
            return new AuditTrail();
        }
    }
}
