package dev.eventsource.sample;

import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kill -9} during writes: the packaged service (the executable jar, started as a separate process) takes
 * creates and deposits with an {@code Idempotency-Key} from several clients, is killed without warning, and is
 * started again on the same database. Every write it answered 2xx before the kill must be there, nothing may be
 * stored twice, and the people projection must converge with no duplicate. Once on the default H2 file database,
 * once on PostgreSQL.
 *
 * <p>Runs with failsafe after {@code package}: the {@code sample.jar} system property names the jar.
 */
class CrashIT {

    private static final int CLIENTS = 6;

    private static final int DEPOSITS_PER_ACCOUNT = 8;

    /** Kill once this many writes were acknowledged (or after {@link #MAX_LOAD}), while the clients keep writing. */
    private static final int KILL_AFTER_ACKNOWLEDGED = 250;

    private static final Duration MAX_LOAD = Duration.ofSeconds(15);

    @TempDir
    Path work;

    @BeforeEach
    void packagedJar() {
        // Set by failsafe, which runs this test after package; surefire (a -Dtest pattern that matches it) has no jar.
        assumeTrue(System.getProperty("sample.jar") != null,
                "CrashIT runs with failsafe (./mvnw verify), which names the jar in sample.jar");
    }

    @Test
    void h2FileKeepsEveryAcknowledgedWrite() {
        crashAndRecover("H2 file", Map.of());
    }

    @Test
    void postgresKeepsEveryAcknowledgedWrite() {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.shared();
        String database = postgres.createDatabase("crash").name();
        crashAndRecover("PostgreSQL", Map.of(
                "SPRING_PROFILES_ACTIVE", "postgres",
                "SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:" + postgres.port() + "/" + database,
                "SPRING_DATASOURCE_USERNAME", EmbeddedPostgresServer.USER,
                "SPRING_DATASOURCE_PASSWORD", ""));
    }

    private void crashAndRecover(String database, Map<String, String> environment) {
        int port = freePort();
        Service first = Service.start(this.work, "first", port, environment);
        Http http = new Http(port);
        List<Client> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger acknowledged = new AtomicInteger();
        for (int i = 0; i < CLIENTS; i++) {
            Client client = new Client(i, http, acknowledged);
            clients.add(client);
            pool.submit(client);
        }
        long deadline = System.nanoTime() + MAX_LOAD.toNanos();
        while (acknowledged.get() < KILL_AFTER_ACKNOWLEDGED && System.nanoTime() < deadline
                && clients.stream().allMatch((client) -> client.running)) {
            sleep(10);
        }
        first.kill();
        pool.shutdown();
        awaitTermination(pool);
        clients.forEach((client) -> assertThat(client.unexpected).as("answers other than 2xx before the kill").isEmpty());

        Service second = Service.start(this.work, "second", port, environment);
        try {
            // Every write answered 2xx before the kill is there, once.
            int acked = 0;
            int found = 0;
            for (Client client : clients) {
                for (Write write : client.writes) {
                    if (!write.acknowledged) {
                        continue;
                    }
                    acked++;
                    if (isStored(http, write)) {
                        found++;
                    }
                }
            }
            System.out.printf("%s crash test: %d writes acknowledged before kill -9, %d found after the restart, %d lost%n",
                    database, acked, found, acked - found);
            assertThat(acked).as("writes acknowledged before the kill").isGreaterThan(0);
            assertThat(found).as(database + ": acknowledged writes found after kill -9 and restart").isEqualTo(acked);

            // The writes in flight at the kill, retried with their key: stored exactly once, whether or not they
            // had committed before the kill.
            int inFlight = 0;
            for (Client client : clients) {
                for (Write write : client.writes) {
                    if (!write.acknowledged) {
                        inFlight++;
                        Http.Response retried = http.post(write.path, write.body, "Idempotency-Key", write.key);
                        assertThat(retried.status()).as("retry of " + write + ": " + retried).isBetween(200, 201);
                        write.id = retried.json().get("id").asString();
                        write.acknowledged = true;
                    }
                }
            }
            System.out.printf("%s crash test: %d writes in flight at the kill, retried with their Idempotency-Key%n",
                    database, inFlight);
            Map<String, BigDecimal> balances = new LinkedHashMap<>();
            Map<String, Integer> deposits = new LinkedHashMap<>();
            Set<String> people = new HashSet<>();
            for (Client client : clients) {
                for (Write write : client.writes) {
                    switch (write.kind) {
                        case PERSON -> people.add(write.id);
                        case ACCOUNT -> {
                            balances.put(write.id, BigDecimal.ZERO);
                            deposits.put(write.id, 0);
                        }
                        case DEPOSIT -> {
                            balances.merge(write.accountId, write.amount, BigDecimal::add);
                            deposits.merge(write.accountId, 1, Integer::sum);
                        }
                    }
                }
            }
            balances.forEach((account, balance) -> {
                Http.Response read = http.get("/accounts/" + account);
                assertThat(read.status()).as(read.body()).isEqualTo(200);
                assertThat(read.json().get("balance").decimalValue()).as("balance of " + account).isEqualByComparingTo(balance);
                JsonNode history = http.get("/accounts/" + account + "/events").json();
                assertThat(history).as("history of " + account + ": opened once, each deposit once").hasSize(1 + deposits.get(account));
                for (int i = 0; i < history.size(); i++) {
                    assertThat(history.get(i).get("version").asLong()).isEqualTo(i + 1);
                }
            });

            // The projection converges on exactly the people created, each listed once.
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<String> listed = new ArrayList<>();
            do {
                listed.clear();
                http.get("/people").json().forEach((person) -> listed.add(person.get("id").asString()));
                if (new HashSet<>(listed).equals(people) || System.nanoTime() > until) {
                    break;
                }
                sleep(100);
            }
            while (true);
            assertThat(listed).as(database + ": GET /people after the restart").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(people);
            List<String> names = new ArrayList<>();
            http.get("/people").json().forEach((person) -> names.add(person.get("name").asString()));
            assertThat(names).as("each create stored once").doesNotHaveDuplicates();
        }
        finally {
            second.kill();
        }
    }

    private static boolean isStored(Http http, Write write) {
        return switch (write.kind) {
            case PERSON -> {
                Http.Response read = http.get("/people/" + write.id);
                yield read.status() == 200 && read.json().get("name").asString().equals(write.name);
            }
            case ACCOUNT -> http.get("/accounts/" + write.id).status() == 200;
            case DEPOSIT -> {
                Http.Response history = http.get("/accounts/" + write.accountId + "/events");
                int copies = 0;
                if (history.status() == 200) {
                    for (JsonNode event : history.json()) {
                        if (event.get("type").asString().equals("MoneyDeposited")
                                && event.get("data").get("amount").decimalValue().compareTo(write.amount) == 0) {
                            copies++;
                        }
                    }
                }
                yield copies == 1;
            }
        };
    }

    private enum Kind { PERSON, ACCOUNT, DEPOSIT }

    /** One write a client sent, with its key, so that it can be found or retried after the restart. */
    private static final class Write {

        final Kind kind;

        final String path;

        final String body;

        final String key = UUID.randomUUID().toString();

        final String name;

        final String accountId;

        final BigDecimal amount;

        volatile String id;

        volatile boolean acknowledged;

        Write(Kind kind, String path, String body, String name, String accountId, BigDecimal amount) {
            this.kind = kind;
            this.path = path;
            this.body = body;
            this.name = name;
            this.accountId = accountId;
            this.amount = amount;
        }

        @Override
        public String toString() {
            return this.kind + " " + this.path + " " + this.body;
        }
    }

    /**
     * A client writing until the service goes away: a person, an account, then deposits of 1, 2, 3... into it (each
     * amount once per account, so a duplicate shows), and again.
     */
    private static final class Client implements Runnable {

        final int number;

        final Http http;

        final AtomicInteger acknowledged;

        final List<Write> writes = new ArrayList<>();

        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

        volatile boolean running = true;

        Client(int number, Http http, AtomicInteger acknowledged) {
            this.number = number;
            this.http = http;
            this.acknowledged = acknowledged;
        }

        @Override
        public void run() {
            try {
                for (int round = 0; ; round++) {
                    String name = "crash-" + this.number + "-" + round;
                    send(new Write(Kind.PERSON, "/people", "{\"name\":\"" + name + "\",\"email\":\"" + name
                            + "@example.com\"}", name, null, null));
                    String account = send(new Write(Kind.ACCOUNT, "/accounts", "{\"owner\":\"" + name + "\"}", name,
                            null, null));
                    for (int i = 1; i <= DEPOSITS_PER_ACCOUNT; i++) {
                        send(new Write(Kind.DEPOSIT, "/accounts/" + account + "/deposits", "{\"amount\":" + i + "}",
                                null, account, BigDecimal.valueOf(i)));
                    }
                }
            }
            catch (UncheckedIOException | IllegalStateException gone) {
                // The service was killed: the write this client was sending stays unacknowledged.
            }
            finally {
                this.running = false;
            }
        }

        private String send(Write write) {
            synchronized (this.writes) {
                this.writes.add(write);
            }
            Http.Response response = this.http.post(write.path, write.body, "Idempotency-Key", write.key);
            if (response.status() / 100 != 2) {
                this.unexpected.add(write + " -> " + response);
                throw new IllegalStateException("refused");
            }
            write.id = response.json().get("id").asString();
            write.acknowledged = true;
            this.acknowledged.incrementAndGet();
            return write.id;
        }
    }

    /** The executable jar running as a separate process in a working directory of its own. */
    private static final class Service {

        private final Process process;

        private Service(Process process) {
            this.process = process;
        }

        static Service start(Path directory, String name, int port, Map<String, String> environment) {
            String jar = System.getProperty("sample.jar");
            assertThat(Path.of(jar)).as("the executable jar, built by package").isRegularFile();
            Path log = directory.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar, "--server.port=" + port)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process;
            try {
                process = builder.start();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            Http http = new Http(port);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                if (!process.isAlive()) {
                    fail("The service stopped at start-up (exit " + process.exitValue() + "):\n" + tail(log));
                }
                try {
                    if (http.get("/actuator/health").status() == 200) {
                        return new Service(process);
                    }
                }
                catch (UncheckedIOException notYet) {
                    // Not listening yet.
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    fail("The service did not answer within 90 s:\n" + tail(log));
                }
                sleep(100);
            }
        }

        /** kill -9: no shutdown hook, no flush, no goodbye. */
        void kill() {
            this.process.destroyForcibly();
            try {
                assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            }
            catch (IOException ex) {
                return "(no log: " + ex.getMessage() + ")";
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void awaitTermination(ExecutorService pool) {
        try {
            assertThat(pool.awaitTermination(90, TimeUnit.SECONDS)).as("clients stop once the service is gone").isTrue();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
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
