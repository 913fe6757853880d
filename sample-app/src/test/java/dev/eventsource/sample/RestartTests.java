package dev.eventsource.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default keeps its state across a restart: the application stops, a new one starts on the same file. */
class RestartTests {

    @TempDir
    Path data;

    @Test
    void peopleAccountsAndHistoriesSurviveRestart() {
        String person;
        String account;
        JsonNode personHistory;
        JsonNode accountHistory;
        try (ConfigurableApplicationContext first = start()) {
            Http http = http(first);
            person = http.post("/people", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}", "X-User", "alice")
                .json().get("id").asString();
            http.put("/people/" + person + "/name", "{\"name\":\"Ada Lovelace\"}", "X-User", "bob");
            account = http.post("/accounts", "{\"owner\":\"Ada\"}").json().get("id").asString();
            http.post("/accounts/" + account + "/deposits", "{\"amount\":12.34}");
            personHistory = http.get("/people/" + person + "/events").json();
            accountHistory = http.get("/accounts/" + account + "/events").json();
        }

        try (ConfigurableApplicationContext second = start()) {
            Http http = http(second);
            Http.Response read = http.get("/people/" + person);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().get("name").asString()).isEqualTo("Ada Lovelace");
            assertThat(read.json().get("version").asLong()).isEqualTo(2);
            assertThat(http.get("/people/" + person + "/events").json()).isEqualTo(personHistory);
            assertThat(personHistory.get(1).get("user").asString()).isEqualTo("bob");
            assertThat(http.get("/accounts/" + account).body()).contains("\"balance\":12.34");
            assertThat(http.get("/accounts/" + account + "/events").json()).isEqualTo(accountHistory);

            Http.Response renamed = http.put("/people/" + person + "/name", "{\"name\":\"Countess\"}", "If-Match", "\"2\"");
            assertThat(renamed.status()).as("the history continues at version 3").isEqualTo(200);
            assertThat(renamed.json().get("version").asLong()).isEqualTo(3);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + this.data.resolve("eventsource") + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    private static Http http(ConfigurableApplicationContext context) {
        return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
