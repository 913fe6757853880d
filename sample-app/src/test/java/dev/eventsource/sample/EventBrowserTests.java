package dev.eventsource.sample;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event browser page in a real browser (headless Chromium), on the sample as it is configured by default: the
 * {@code eventsource} endpoint read-only. Events created through the REST API show in the stream, an aggregate's
 * history opens when its id is clicked or typed, errors are shown, and the subscriptions show without operation
 * buttons.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EventBrowserTests extends EventBrowserTestBase {

    @Test
    void loadsWithoutConsoleErrorsAndShowsEventsCreatedThroughTheApi() {
        String person = this.http.post("/people", "{\"name\":\"Ada <b>Lovelace</b>\",\"email\":\"ada@example.com\"}",
                "X-User", "alice").json().get("id").asString();
        String account = this.http.post("/accounts", "{\"owner\":\"Ada\"}", "X-User", "bob").json().get("id").asString();
        this.http.post("/accounts/" + account + "/deposits", "{\"amount\":12.50}", "X-User", "bob");

        chromium.open(page());
        List<WebElement> rows = chromium.await("the stream shows the account's deposit", (driver) -> {
            List<WebElement> shown = chromium.findAll("#events tbody tr[data-position]");
            return shown.size() >= 3 && shown.get(0).getText().contains("MoneyDeposited") ? shown : null;
        });

        // Newest first: the deposit, the account's opening, the person's creation.
        assertThat(rows.get(0).getText()).contains("Account", account, "MoneyDeposited", "bob", "\"amount\":12.50");
        assertThat(rows.get(1).getText()).contains("Account", account, "AccountOpened", "bob", "\"owner\":\"Ada\"");
        // Markup in stored data is shown as text, never interpreted.
        assertThat(rows.get(2).getText()).contains("Person", person, "PersonCreated", "alice",
                "\"name\":\"Ada <b>Lovelace</b>\"");
        assertThat(chromium.findAll("#events b")).isEmpty();
        assertThat(chromium.find("#page-info").getText()).contains("of ");
        assertThat(chromium.find("#error").isDisplayed()).isFalse();
        assertThat(chromium.consoleErrors()).isEmpty();
        chromium.screenshot("event-browser-read-only.png");
    }

    @Test
    void showsAnAggregatesHistoryWhenItsIdIsClickedOrTyped() {
        String person = this.http.post("/people", "{\"name\":\"Grace\",\"email\":\"grace@example.com\"}", "X-User",
                "alice").json().get("id").asString();
        this.http.put("/people/" + person + "/name", "{\"name\":\"Grace Hopper\"}", "X-User", "bob");
        String account = this.http.post("/accounts", "{\"owner\":\"Grace\"}").json().get("id").asString();
        chromium.open(page());

        WebElement id = chromium.await("the person's id in the stream", (driver) -> chromium.findAll(
                "#events button.aggregate[data-aggregate-id='" + person + "']").stream().findFirst().orElse(null));
        id.click();
        List<WebElement> history = chromium.await("the person's history", (driver) -> {
            List<WebElement> shown = chromium.findAll("#history tbody tr");
            return chromium.find("#history-section").isDisplayed()
                    && chromium.find("#history-id").getText().equals(person) && shown.size() == 2 ? shown : null;
        });
        assertThat(chromium.find("#history-type").getText()).isEqualTo("Person");
        assertThat(history.get(0).getText()).startsWith("1").contains("PersonCreated", "alice", "\"name\":\"Grace\"");
        assertThat(history.get(1).getText()).startsWith("2").contains("NameChanged", "bob", "Grace Hopper");
        assertThat(chromium.consoleErrors()).isEmpty();

        // Typed: another aggregate's history replaces it.
        chromium.find("#aggregate-id").sendKeys(account);
        chromium.find("#lookup button[type=submit]").click();
        chromium.await("the account's history", (driver) -> chromium.find("#history-id").getText().equals(account)
                && chromium.find("#history tbody tr").getText().contains("AccountOpened"));
        assertThat(chromium.find("#history-type").getText()).isEqualTo("Account");

        // An unknown id: the server's answer is shown to the user.
        chromium.find("#aggregate-id").clear();
        chromium.find("#aggregate-id").sendKeys("no-such-id");
        chromium.find("#lookup button[type=submit]").click();
        WebElement error = chromium.await("the error shown", (driver) -> chromium.find("#error").isDisplayed()
                ? chromium.find("#error") : null);
        assertThat(error.getText()).contains("no-such-id", "404", "No aggregate with id 'no-such-id'");
    }

    @Test
    void isReadOnlyByDefault() {
        chromium.open(page());
        WebElement people = chromium.await("the people subscription shown", (driver) -> chromium.findAll(
                "#subscriptions tr[data-subscription='people']").stream().findFirst().orElse(null));
        assertThat(people.getText()).contains("people", "RUNNING", "halt");
        assertThat(chromium.find("#mode").getText()).isEqualTo("read-only");
        assertThat(chromium.find("#endpoint-note").getText()).contains("management.endpoint.eventsource.access");
        assertThat(chromium.findAll("button[data-operation]")).isEmpty();
        assertThat(chromium.findAll("#subscriptions th.operations")).allSatisfy(
                (header) -> assertThat(header.isDisplayed()).isFalse());
        // The endpoint itself refuses what the page does not offer.
        assertThat(this.http.post("/actuator/eventsource/people", "{\"operation\":\"pause\"}").status())
            .isEqualTo(405);
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    private String page() {
        return "http://localhost:" + this.port + "/";
    }
}
