package dev.eventsource.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The executable jar built with the {@code aot} profile, whose classes {@code spring-boot:process-aot} generated,
 * started with {@code -Dspring.aot.enabled=true}: the context comes from the generated initializer (no classpath
 * scanning, no configuration classes parsed, as in a native image), on the sample's default H2 file database, and
 * the service answers over HTTP. Runs with failsafe in the {@code aot} profile only, which {@code .ci/run} runs; the
 * default build's jar has no generated classes to start from.
 */
class AotJarIT {

    @Test
    void processedJarStartsInAotModeAndServesPeopleAndAccounts(@TempDir Path directory) throws Exception {
        String jar = System.getProperty("sample.jar");
        assertThat(jar).as("sample.jar, set by failsafe").isNotNull();
        assertThat(Path.of(jar)).as("the executable jar, built by package").isRegularFile();
        int port = freePort();
        Path log = directory.resolve("service.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dspring.aot.enabled=true", "-jar", jar,
                "--server.port=" + port)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        try {
            Http http = new Http(port);
            awaitHealthy(process, http, log);
            assertThat(Files.readString(log, StandardCharsets.UTF_8))
                .as("started from the generated initializer").contains("Starting AOT-processed SampleApplication");

            Http.Response created = http.post("/people", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            Http.Response person = http.get(created.header("Location"));
            assertThat(person.status()).isEqualTo(200);
            assertThat(person.json().get("name").asString()).isEqualTo("Ada");

            String account = http.post("/accounts", "{\"owner\":\"Ada\"}").json().get("id").asString();
            Http.Response deposit = http.post("/accounts/" + account + "/deposits", "{\"amount\":10}");
            assertThat(deposit.status()).as(deposit.body()).isEqualTo(200);
            Http.Response loaded = http.get("/accounts/" + account);
            assertThat(loaded.json().get("balance").decimalValue()).isEqualByComparingTo("10");
            assertThat(loaded.json().get("version").asLong()).isEqualTo(2);
            // The "people" subscription (a projection) follows the stream in AOT mode too.
            awaitListed(http, "Ada");
        }
        finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static void awaitHealthy(Process process, Http http, Path log) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            if (!process.isAlive()) {
                fail("The service stopped at start-up (exit " + process.exitValue() + "):\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            try {
                if (http.get("/actuator/health").status() == 200) {
                    return;
                }
            }
            catch (UncheckedIOException notYet) {
                // Not listening yet.
            }
            if (System.nanoTime() > deadline) {
                fail("The service did not answer within 90 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            sleep(100);
        }
    }

    private static void awaitListed(Http http, String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.get("/people").body();
            if (body.contains("\"" + name + "\"")) {
                return;
            }
            sleep(100);
        }
        fail("GET /people did not list " + name + " within 30 s: " + body);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
