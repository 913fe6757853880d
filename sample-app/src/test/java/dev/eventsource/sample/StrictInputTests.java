package dev.eventsource.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Strict input: no coercion between strings, numbers and booleans, no duplicate keys, names that are plain visible
 * text, amounts compared by value, and an {@code X-User} header that is percent-encoded UTF-8. Each bad request is
 * refused with 400 naming the field or header, and nothing is stored.
 */
abstract class StrictInputTests extends RefusalTests {

    static final String PEOPLE = "/people";

    static final String EMAIL = ",\"email\":\"ada@example.com\"}";

    static Stream<Arguments> badBodies() {
        return Stream.of(
                // coercion into a string field
                arguments("POST", PEOPLE, "{\"name\":123" + EMAIL, "Field 'name' must be a string"),
                arguments("POST", PEOPLE, "{\"name\":true" + EMAIL, "Field 'name' must be a string"),
                arguments("POST", PEOPLE, "{\"name\":1.5" + EMAIL, "Field 'name' must be a string"),
                arguments("POST", PEOPLE, "{\"name\":[\"Ada\"]" + EMAIL, "Field 'name' must be a string"),
                arguments("POST", PEOPLE, "{\"name\":{\"first\":\"Ada\"}" + EMAIL, "Field 'name'"),
                arguments("POST", PEOPLE, "{\"name\":\"Ada\",\"email\":123}", "Field 'email' must be a string"),
                arguments("PUT", "/people/{person}/name", "{\"name\":42}", "Field 'name' must be a string"),
                arguments("PUT", "/people/{person}/name", "{\"name\":false}", "Field 'name' must be a string"),
                arguments("PUT", "/people/{person}/email", "{\"email\":true}", "Field 'email' must be a string"),
                arguments("POST", "/accounts", "{\"owner\":7}", "Field 'owner' must be a string"),
                // coercion into a number field
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":\"10\"}", "Field 'amount' must be a number"),
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":\"10.50\"}", "Field 'amount' must be a number"),
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":\"\"}", "Field 'amount' must be a number"),
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":true}", "Field 'amount' must be a number"),
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":[10]}", "Field 'amount' must be a number"),
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":{\"value\":10}}", "Field 'amount'"),
                arguments("POST", "/accounts/{account}/withdrawals", "{\"amount\":\"1\"}", "Field 'amount' must be a number"),
                arguments("POST", "/accounts/{account}/withdrawals", "{\"amount\":false}", "Field 'amount' must be a number"),
                // duplicate keys
                arguments("POST", PEOPLE, "{\"name\":\"Ada\",\"name\":\"Eve\"" + EMAIL, "Field 'name' appears more than once"),
                arguments("POST", PEOPLE, "{\"name\":\"Ada\",\"email\":\"a@b.org\",\"email\":\"c@d.org\"}",
                        "Field 'email' appears more than once"),
                arguments("PUT", "/people/{person}/name", "{\"name\":\"A\",\"name\":\"B\"}", "Field 'name' appears more than once"),
                arguments("PUT", "/people/{person}/email", "{\"email\":\"a@b.org\",\"email\":\"c@d.org\"}",
                        "Field 'email' appears more than once"),
                arguments("POST", "/accounts", "{\"owner\":\"A\",\"owner\":\"B\"}", "Field 'owner' appears more than once"),
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":5,\"amount\":6}", "Field 'amount' appears more than once"),
                // control characters, bidi controls, unpaired surrogates, nothing visible
                arguments("POST", PEOPLE, "{\"name\":\"\\u0000Ada\"" + EMAIL, "'name' must not contain control characters"),
                arguments("POST", PEOPLE, "{\"name\":\"Ada\\u001b[31m\"" + EMAIL, "'name' must not contain control characters"),
                arguments("POST", PEOPLE, "{\"name\":\"Ada\\nLovelace\"" + EMAIL, "'name' must not contain control characters"),
                arguments("POST", PEOPLE, "{\"name\":\"Ada\\tL\"" + EMAIL, "'name' must not contain control characters"),
                arguments("POST", PEOPLE, "{\"name\":\"Ada\\u007f\"" + EMAIL, "'name' must not contain control characters"),
                arguments("POST", PEOPLE, "{\"name\":\"Ada\\u0085\"" + EMAIL, "'name' must not contain control characters"),
                arguments("POST", PEOPLE, "{\"name\":\"\\u202Eecila\"" + EMAIL, "'name' must not contain bidirectional"),
                arguments("POST", PEOPLE, "{\"name\":\"Ada\\u2066x\\u2069\"" + EMAIL, "'name' must not contain bidirectional"),
                arguments("POST", PEOPLE, "{\"name\":\"\\u200B\\u200B\"" + EMAIL, "'name' must contain a visible character"),
                arguments("POST", PEOPLE, "{\"name\":\"\\uFEFF\"" + EMAIL, "'name' must contain a visible character"),
                arguments("POST", PEOPLE, "{\"name\":\"\\u200B \\u2060\"" + EMAIL, "'name' must contain a visible character"),
                arguments("POST", PEOPLE, "{\"name\":\"\\u3164\"" + EMAIL, "'name' must contain a visible character"),
                arguments("POST", PEOPLE, "{\"name\":\"\\uD800\"" + EMAIL, "'name' must not contain an unpaired surrogate"),
                arguments("POST", PEOPLE, "{\"name\":\"\\uDC00Ada\"" + EMAIL, "'name' must not contain an unpaired surrogate"),
                arguments("POST", PEOPLE, "{\"name\":\"Ada\",\"email\":\"ada\\u0000@example.com\"}", "'email'"),
                arguments("PUT", "/people/{person}/name", "{\"name\":\"\\u202Dx\"}", "'name' must not contain bidirectional"),
                arguments("PUT", "/people/{person}/name", "{\"name\":\"\\u200C\\u200D\"}", "'name' must contain a visible character"),
                arguments("POST", "/accounts", "{\"owner\":\"\\u0007\"}", "'owner' must not contain control characters"),
                arguments("POST", "/accounts", "{\"owner\":\"\\u00A0\\u2007\"}", "'owner' must contain a visible character"),
                // amounts by value
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":1.10001}", "'amount' must have at most 2 decimals"),
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":1.005000}", "'amount' must have at most 2 decimals"),
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":1e20}", "'amount' must have at most 2 decimals and 15 digits"),
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":-0.00}", "'amount' must be greater than 0"),
                arguments("POST", "/accounts/{account}/withdrawals", "{\"amount\":0.000}", "'amount' must be greater than 0"),
                // syntax errors: no parser internals in the detail
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":NaN}", "Non-standard token 'NaN'; a JSON number is written in digits"),
                arguments("POST", "/accounts/{account}/deposits", "{\"amount\":Infinity}", "not valid JSON"),
                arguments("POST", PEOPLE, "{\"name\":\"Ada\u0001\"" + EMAIL, "not valid JSON"),
                arguments("POST", PEOPLE, "{'name':'Ada'" + EMAIL, "not valid JSON"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> 400 {3}")
    @MethodSource("badBodies")
    void refusesBadBodyWith400NamingTheFieldAndStoresNothing(String method, String template, String body,
            String detail) {
        String path = path(template);
        assertRefused(400, new String[] { detail }, () -> this.http.send(method, path, body));
    }

    static Stream<Arguments> badUsers() {
        return Stream.of(
                arguments("Jos%C3", "is not percent-encoded UTF-8"),
                arguments("Jos%ZZ", "has a '%' that does not start a percent-encoded byte"),
                arguments("50%", "has a '%' that does not start a percent-encoded byte"),
                arguments("%00admin", "must not contain control characters"),
                arguments("%1B%5B31mred", "must not contain control characters"),
                arguments("%E2%80%AEnimda", "must not contain bidirectional"),
                arguments("%E2%80%8B", "must contain a visible character"),
                arguments("%C0%AF", "is not percent-encoded UTF-8"),
                arguments("%ED%A0%80", "is not percent-encoded UTF-8"),
                arguments("a".repeat(65), "send a user name of at most 64 characters"));
    }

    @ParameterizedTest(name = "X-User: {0} -> 400 {1}")
    @MethodSource("badUsers")
    void refusesBadUserHeaderWith400NamingItAndStoresNothing(String user, String detail) {
        assertRefused(400, new String[] { "Header X-User", detail },
                () -> this.http.post("/people", "{\"name\":\"Ada\"" + EMAIL, "X-User", user));
    }

    @ParameterizedTest(name = "raw X-User bytes of {0} -> 400")
    @org.junit.jupiter.params.provider.ValueSource(strings = { "UTF-8", "ISO-8859-1" })
    void refusesARawNonAsciiUserHeaderNamingItAndStoresNothing(String charset) {
        // Java's HTTP client sends only ASCII header values, so this request goes over a plain socket: the bytes of
        // "José" in UTF-8 (C3 A9), which the server would otherwise store as "JosÃ©", or in ISO-8859-1 (E9).
        byte[] user = "Jos\u00e9".getBytes(java.nio.charset.Charset.forName(charset));
        assertRefusedAnswer(400, new String[] { "Header X-User must be ASCII", "Jos%C3%A9" }, () -> rawPost(user));
    }

    private Answer rawPost(byte[] user) {
        String body = "{\"name\":\"Ada\"" + EMAIL;
        try (java.net.Socket socket = new java.net.Socket("localhost", this.port)) {
            socket.setSoTimeout(30_000);
            java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
            request.writeBytes(("POST /people HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length() + "\r\nX-User: ").getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII));
            request.writeBytes(user);
            request.writeBytes(("\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(request.toByteArray());
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            String head = response.substring(0, response.indexOf("\r\n\r\n"));
            String contentType = head.lines()
                .filter((line) -> line.regionMatches(true, 0, "Content-Type:", 0, 13))
                .map((line) -> line.substring(13).strip())
                .findFirst().orElse(null);
            String payload = response.substring(response.indexOf("\r\n\r\n") + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                payload = payload.substring(payload.indexOf("\r\n") + 2, payload.lastIndexOf("}") + 1);
            }
            return new Answer(status, contentType, payload);
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void storesAPercentEncodedUtf8UserUngarbled() {
        Http.Response created = this.http.post("/people", "{\"name\":\"Ada\"" + EMAIL, "X-User", "Jos%C3%A9%20%F0%9F%98%80");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode history = this.http.get(created.header("Location") + "/events").json();
        assertThat(history.get(0).get("user").asString()).isEqualTo("Jos\u00e9 \uD83D\uDE00");
    }

    @Test
    void comparesAmountsByValue() {
        String id = openAccount();
        Http.Response deposit = this.http.post("/accounts/" + id + "/deposits", "{\"amount\":1.10000}");
        assertThat(deposit.status()).as(deposit.body()).isEqualTo(200);
        assertThat(deposit.json().get("balance").decimalValue()).isEqualByComparingTo("11.10");
        Http.Response whole = this.http.post("/accounts/" + id + "/deposits", "{\"amount\":1E+1}");
        assertThat(whole.status()).as(whole.body()).isEqualTo(200);
        JsonNode history = this.http.get("/accounts/" + id + "/events").json();
        assertThat(history.get(2).get("data").toString()).isEqualTo("{\"amount\":1.10}");
        assertThat(history.get(3).get("data").toString()).isEqualTo("{\"amount\":10.00}");
    }

    @Test
    void acceptsNamesInAnyScriptWithJoinersInsideVisibleText() {
        String name = "Zo\u00eb \u674e \uD83D\uDC69\u200D\uD83D\uDCBB";
        Http.Response created = this.http.post("/people", "{\"name\":\"" + name + "\"" + EMAIL);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("name").asString()).isEqualTo(name);
    }
}
