package dev.eventsource.sample;

import dev.eventsource.Store;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the tests that send bad requests over real HTTP: each refusal must be {@code application/problem+json}
 * with the status, a detail naming what to fix, no leaked internals, and nothing stored. Subclasses choose the
 * concern; their H2 and PostgreSQL subclasses choose the database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class RefusalTests {

    @LocalServerPort
    int port;

    @Autowired
    Store store;

    Http http;

    @BeforeEach
    void connect() {
        this.http = new Http(this.port);
    }

    /** Sends a request and checks the refusal, and that the store holds exactly what it held before. */
    Http.Response assertRefused(int status, String[] detailParts, Supplier<Http.Response> request) {
        Http.Response[] response = new Http.Response[1];
        assertRefusedAnswer(status, detailParts, () -> {
            response[0] = request.get();
            return new Answer(response[0].status(), response[0].header("Content-Type"), response[0].body());
        });
        return response[0];
    }

    /** As {@link #assertRefused}, for a request sent by other means than {@link Http}. */
    void assertRefusedAnswer(int status, String[] detailParts, Supplier<Answer> request) {
        int before = storedEvents();
        Answer response = request.get();
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).as(response.body()).isEqualTo("application/problem+json");
        JsonNode problem = new Http.Response(status, null, response.body()).json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        String detail = problem.get("detail").asString();
        assertThat(detail).as("detail").contains(Arrays.asList(detailParts));
        assertThat(response.body()).as("no internals in the answer")
            .doesNotContain("Feature", "tools.jackson", "Exception", "at dev.", "at org.", "SQL", "[Source");
        assertThat(storedEvents()).as("events stored after the refusal").isEqualTo(before);
    }

    /** An answer: its status, its content type and its body. */
    record Answer(int status, String contentType, String body) {
    }

    String createPerson() {
        Http.Response created = this.http.post("/people", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    String openAccount() {
        Http.Response opened = this.http.post("/accounts", "{\"owner\":\"Ada\"}");
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        String id = opened.json().get("id").asString();
        assertThat(this.http.post("/accounts/" + id + "/deposits", "{\"amount\":10}").status()).isEqualTo(200);
        return id;
    }

    /** Replaces {person} and {account} in a path by the ids of a fresh person and account. */
    String path(String template) {
        String path = template;
        if (path.contains("{person}")) {
            path = path.replace("{person}", createPerson());
        }
        if (path.contains("{account}")) {
            path = path.replace("{account}", openAccount());
        }
        return path;
    }

    int storedEvents() {
        return this.store.readAll(0, Integer.MAX_VALUE).size();
    }
}
