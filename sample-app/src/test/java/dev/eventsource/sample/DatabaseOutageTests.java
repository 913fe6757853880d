package dev.eventsource.sample;

import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database drops the service's connections, again and again, while clients deposit: whatever the service
 * answered must be true. Every 2xx is stored, every refused write (5xx) is absent, no 200 comes with an empty body,
 * and once the database behaves again the same service (no restart) takes writes again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DatabaseOutageTests {

    private static final int CLIENTS = 4;

    private static final Duration LOAD = Duration.ofSeconds(8);

    private static final Duration KILL_EVERY = Duration.ofMillis(150);

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedPostgresServer.Database postgres;

    @Test
    void answersOnlyWhatWasStoredWhileConnectionsAreKilled() throws Exception {
        Http http = new Http(this.port);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Http.Response opened = http.post("/accounts", "{\"owner\":\"outage-" + i + "\"}");
            assertThat(opened.status()).as(opened.body()).isEqualTo(201);
            accounts.add(opened.json().get("id").asString());
        }

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger terminated = new AtomicInteger();
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
        pool.submit(() -> terminateConnections(this.postgres, running, terminated));
        for (String account : accounts) {
            pool.submit(() -> deposit(http, account, running, outcomes));
        }
        Thread.sleep(LOAD.toMillis());
        running.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();

        int acknowledged = 0;
        int refused = 0;
        int other = 0;
        int stored = 0;
        List<String> emptyAnswers = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (String account : accounts) {
            Set<BigDecimal> deposited = deposits(http, account);
            for (Outcome outcome : outcomes) {
                if (!outcome.account.equals(account)) {
                    continue;
                }
                boolean isStored = deposited.contains(outcome.amount);
                stored += isStored ? 1 : 0;
                if (outcome.status / 100 == 2) {
                    acknowledged++;
                    if (outcome.body.isBlank()) {
                        emptyAnswers.add(outcome.toString());
                    }
                    if (!isStored) {
                        wrong.add("answered " + outcome + " but not stored");
                    }
                }
                else if (outcome.status >= 500) {
                    refused++;
                    if (isStored) {
                        wrong.add("answered " + outcome + " but stored");
                    }
                }
                else {
                    other++;
                }
            }
        }
        System.out.printf("Outage test (PostgreSQL, %d connections terminated): %d deposits answered 2xx, %d refused "
                + "with 5xx, %d other outcomes, %d stored%n", terminated.get(), acknowledged, refused, other, stored);
        assertThat(terminated.get()).as("connections terminated during the load").isGreaterThan(0);
        assertThat(acknowledged).as("deposits answered 2xx").isGreaterThan(0);
        assertThat(emptyAnswers).as("200 with an empty body").isEmpty();
        assertThat(wrong).as("answers that do not match what was stored").isEmpty();

        // The same service, not restarted, takes writes again once the database does.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Http.Response first;
        do {
            first = http.post("/accounts/" + accounts.get(0) + "/deposits", "{\"amount\":0.01}",
                    "Idempotency-Key", UUID.randomUUID().toString());
        }
        while (first.status() != 200 && System.nanoTime() < deadline);
        assertThat(first.status()).as("a deposit after the outage: " + first).isEqualTo(200);
        for (String account : accounts) {
            for (int i = 0; i < 5; i++) {
                Http.Response again = http.post("/accounts/" + account + "/deposits", "{\"amount\":0.02}",
                        "Idempotency-Key", UUID.randomUUID().toString());
                assertThat(again.status()).as("deposits after the outage: " + again).isEqualTo(200);
            }
        }
    }

    /** The amounts of the deposits stored on an account. */
    private static Set<BigDecimal> deposits(Http http, String account) {
        Http.Response history = http.get("/accounts/" + account + "/events");
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        Set<BigDecimal> amounts = new HashSet<>();
        for (JsonNode event : history.json()) {
            if (event.get("type").asString().equals("MoneyDeposited")) {
                BigDecimal amount = event.get("data").get("amount").decimalValue().stripTrailingZeros();
                assertThat(amounts.add(amount)).as("deposit " + amount + " stored once on " + account).isTrue();
            }
        }
        return amounts;
    }

    /** Deposits 1, 2, 3... (each amount once, so that each answer can be matched to what is stored). */
    private static void deposit(Http http, String account, AtomicBoolean running, ConcurrentLinkedQueue<Outcome> outcomes) {
        for (int amount = 1; running.get(); amount++) {
            try {
                Http.Response response = http.post("/accounts/" + account + "/deposits", "{\"amount\":" + amount + "}",
                        "Idempotency-Key", UUID.randomUUID().toString());
                outcomes.add(new Outcome(account, BigDecimal.valueOf(amount), response.status(), response.body()));
            }
            catch (UncheckedIOException ex) {
                outcomes.add(new Outcome(account, BigDecimal.valueOf(amount), -1, ex.toString()));
            }
        }
    }

    /**
     * Terminates every backend of the application's database user on the application's database but this one, every
     * {@link #KILL_EVERY}; other databases of the shared server are left alone.
     */
    private static void terminateConnections(EmbeddedPostgresServer.Database postgres, AtomicBoolean running,
            AtomicInteger terminated) {
        try (Connection connection = postgres.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            while (running.get()) {
                try (var result = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE usename = current_user AND datname = current_database() AND pid <> pg_backend_pid() "
                        + "AND backend_type = 'client backend'")) {
                    result.next();
                    terminated.addAndGet(result.getInt(1));
                }
                Thread.sleep(KILL_EVERY.toMillis());
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private record Outcome(String account, BigDecimal amount, int status, String body) {

        Outcome {
            amount = amount.stripTrailingZeros();
        }

        @Override
        public String toString() {
            return "deposit of " + this.amount + " on " + this.account + " -> " + this.status + " " + this.body;
        }
    }

    /**
     * A PostgreSQL database for this test alone, on the shared embedded server, behind the pool an application would
     * have (Hikari).
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class Postgres {

        @Bean
        EmbeddedPostgresServer.Database database() {
            return EmbeddedPostgresServer.shared().createDatabase("outage");
        }

        @Bean
        DataSource dataSource(EmbeddedPostgresServer.Database database) {
            return DataSourceBuilder.create()
                .url(database.jdbcUrl())
                .username(EmbeddedPostgresServer.USER)
                .password("")
                .build();
        }
    }
}
