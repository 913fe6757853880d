package dev.eventsource.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every error the service answers, from Spring MVC, from the container or from the database, is
 * {@code application/problem+json} with a detail in plain words, and stores nothing.
 */
@Import(ErrorResponseTests.FailingEndpoint.class)
abstract class ErrorResponseTests extends RefusalTests {

    static final String ADA = "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}";

    @Autowired
    DataSource dataSource;

    static Stream<Arguments> badRequests() {
        return Stream.of(
                arguments("GET", "/error", null, new String[0], 404, "No endpoint GET /error"),
                arguments("POST", "/error", ADA, new String[0], 404, "No endpoint POST /error"),
                arguments("GET", "/nowhere", null, new String[0], 404, "No endpoint GET /nowhere"),
                arguments("GET", "/nowhere", null, new String[] { "Accept", "text/html" }, 404, "No endpoint GET /nowhere"),
                arguments("GET", "/error", null, new String[] { "Accept", "text/html" }, 404, "No endpoint GET /error"),
                // Tomcat answers a request line or header block over its 8 KB limit with 400
                arguments("GET", "/people/" + "x".repeat(10_000), null, new String[0], 400, "too large"),
                arguments("GET", "/people", null, new String[] { "X-Padding", "p".repeat(10_000) }, 400, "too large"),
                arguments("TRACE", "/people", null, new String[0], 405, "method is not allowed"),
                arguments("DELETE", "/people/{person}", null, new String[0], 405, "Method DELETE"),
                arguments("PATCH", "/people/{person}/name", "{\"name\":\"Eve\"}", new String[0], 405, "Method PATCH"),
                arguments("GET", "/people/a%2Fb", null, new String[0], 400, "encoded slash"),
                arguments("GET", "/people/%00", null, new String[0], 400, "malformed"),
                arguments("GET", "/people/a%5C..%5Cb", null, new String[0], 400, "malformed"),
                arguments("POST", "/people", ADA, new String[] { "Content-Type", "text/plain" }, 415,
                        "Header Content-Type 'text/plain' is not supported"),
                arguments("POST", "/people", "<name>Ada</name>", new String[] { "Content-Type", "application/xml" }, 415,
                        "Header Content-Type 'application/xml' is not supported"),
                arguments("POST", "/people", ADA, new String[] { "Accept", "application/xml" }, 406, "Header Accept"),
                arguments("GET", "/people/{person}", null, new String[] { "Accept", "text/html" }, 406, "Header Accept"),
                arguments("PUT", "/people/{person}/name", "{\"name\":\"Eve\"}", new String[] { "Accept", "text/csv" }, 406,
                        "Header Accept"),
                arguments("POST", "/people", "", new String[0], 400, "Request body is missing"),
                arguments("POST", "/people", "[]", new String[0], 400, "must be a JSON object"),
                arguments("POST", "/people", "null", new String[0], 400, "Request body is missing"),
                arguments("POST", "/people", "{\"name\":\"Ada\"", new String[0], 400, "not valid JSON"),
                arguments("PUT", "/people/{person}/name", "{\"name\":\"Eve\"}", new String[] { "If-Match", "\"abc\"" }, 400,
                        "If-Match"),
                arguments("POST", "/people", ADA, new String[] { "Idempotency-Key", "two words" }, 400, "Idempotency-Key"),
                arguments("POST", "/people", ADA, new String[] { "Idempotency-Key", "k".repeat(129) }, 400,
                        "Idempotency-Key"),
                arguments("POST", "/people", "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"admin\":true}",
                        new String[0], 400, "Unknown field 'admin'"));
    }

    @ParameterizedTest(name = "{0} {1} {3} -> {4} {5}")
    @MethodSource("badRequests")
    void answersProblemJsonAndStoresNothing(String method, String template, String body, String[] headers, int status,
            String detail) {
        String path = path(template);
        assertRefused(status, new String[] { detail }, () -> this.http.send(method, path, body, headers));
    }

    @Test
    void refusesABodyOverTheLimitBeforeReadingIt() {
        String name = "a".repeat(40_000);
        assertRefused(413, new String[] { "larger than 32768 bytes", "sample.web.max-body-size" },
                () -> this.http.post("/people", "{\"name\":\"" + name + "\",\"email\":\"ada@example.com\"}"));
    }

    @Test
    void refusesA300MegabyteBodyFromItsContentLengthWithoutWaitingForIt() {
        // Only the headers are sent: the answer must come from the Content-Length alone, before any body arrives.
        assertRefusedAnswer(413, new String[] { "larger than 32768 bytes" }, () -> {
            try (Socket socket = new Socket("localhost", this.port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("POST /people HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 300000000\r\n\r\n{\"name\":\"")
                    .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                StringBuilder answer = new StringBuilder();
                byte[] buffer = new byte[8192];
                while (!(answer.indexOf("\r\n\r\n") > 0 && answer.toString().strip().endsWith("}")
                        || answer.toString().endsWith("0\r\n\r\n"))) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
                String text = answer.toString();
                String head = text.substring(0, text.indexOf("\r\n\r\n"));
                String contentType = head.lines()
                    .filter((line) -> line.regionMatches(true, 0, "Content-Type:", 0, 13))
                    .map((line) -> line.substring(13).strip())
                    .findFirst().orElse(null);
                String body = text.substring(text.indexOf('{'), text.lastIndexOf('}') + 1);
                return new Answer(Integer.parseInt(text.substring(9, 12)), contentType, body);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    @Test
    void refusesAChunkedBodyOverTheLimitWhileReadingIt() {
        byte[] body = ("{\"name\":\"" + "a".repeat(100_000) + "\",\"email\":\"ada@example.com\"}").getBytes();
        assertRefused(413, new String[] { "larger than 32768 bytes", "sample.web.max-body-size" },
                () -> send(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    @Test
    void acceptsABodyJustUnderTheLimit() {
        String email = "a".repeat(60) + "@example.com";
        String padding = " ".repeat(32_000);
        Http.Response created = this.http.post("/people", "{\"name\":\"Ada\"," + padding + "\"email\":\"" + email + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @Test
    void answersAnUnexpectedFailureWith500WithoutItsMessage() {
        Http.Response failed = assertRefused(500, new String[] { "not known whether it took effect" },
                () -> this.http.post("/test/fail", "{}"));
        assertThat(failed.body()).doesNotContain("secret", "SELECT");
    }

    @Test
    void answersAnUnreachableDatabaseWith503AndRetryAfter() throws SQLException {
        String id = createPerson();
        int before = storedEvents();
        // The test holds every connection of the pool, so the request's wait for one times out (after 1 s here), as
        // when the database stops answering.
        List<Connection> held = new ArrayList<>();
        Http.Response refused;
        try {
            while (true) {
                try {
                    held.add(this.dataSource.getConnection());
                }
                catch (SQLException exhausted) {
                    break;
                }
            }
            refused = this.http.put("/people/" + id + "/name", "{\"name\":\"Eve\"}");
        }
        finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        assertThat(held).isNotEmpty();
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("2");
        assertThat(refused.json().get("detail").asString()).contains("database is unreachable", "Retry after 2 seconds");
        assertThat(refused.body()).doesNotContain("SQL", "Exception", "jdbc", "Hikari");
        assertThat(storedEvents()).isEqualTo(before);
        assertThat(this.http.put("/people/" + id + "/name", "{\"name\":\"Eve\"}").status()).isEqualTo(200);
    }

    private Http.Response send(HttpRequest.BodyPublisher body) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/people"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(body)
            .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Http.Response(response.statusCode(), response, response.body());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** An endpoint that fails as a bug would, with internals in its message that must not reach the client. */
    @TestConfiguration(proxyBeanMethods = false)
    @RestController
    static class FailingEndpoint {

        @PostMapping("/test/fail")
        String fail() {
            throw new IllegalStateException("SELECT secret FROM accounts failed");
        }
    }
}
