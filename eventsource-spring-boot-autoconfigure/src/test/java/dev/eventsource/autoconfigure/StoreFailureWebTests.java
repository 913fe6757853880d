package dev.eventsource.autoconfigure;

import dev.eventsource.autoconfigure.web.Gate;
import dev.eventsource.autoconfigure.web.GateApplication;
import dev.eventsource.autoconfigure.web.GateService;
import dev.eventsource.store.jdbc.JdbcStoreException;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring MVC application on a real port and embedded PostgreSQL: the database connection dies in the middle of a
 * request, between the repository's load and its append, and the client gets an error status with a body, never
 * the empty 200 that Spring MVC gives when it takes the failure for a client that hung up; nothing is stored.
 *
 * <p>The application's DataSource hands out one connection, as a pool does with a connection it does not validate
 * on every borrow, so the append runs on the connection the test terminated.
 */
@SpringBootTest(classes = { GateApplication.class, StoreFailureWebTests.EmbeddedPostgreSql.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "eventsource.jdbc.initialize-schema=always", "eventsource.repository.max-retries=0" })
class StoreFailureWebTests {

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedPostgresServer postgres;

    @Autowired
    SingleConnectionDataSource dataSource;

    @Autowired
    GateService service;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void freshConnection() {
        this.dataSource.resetConnection();
        this.service.forget();
    }

    @AfterEach
    void removeHook() {
        Gate.HOOK.set(() -> { });
    }

    @Test
    void answersServerErrorWithBodyWhenConnectionDiesDuringAppend() throws Exception {
        // A killed server process closes the socket without a word: the driver reads end-of-file (EOFException),
        // the failure Spring MVC took for a client that hung up.
        String id = UUID.randomUUID().toString();
        HttpResponse<String> response = postWhileConnectionDies("/gates/" + id, true);
        assertThat(response.statusCode()).isBetween(500, 599);
        assertThat(response.body()).isNotBlank().contains("/gates/" + id);
        assertThat(this.service.thrown()).isInstanceOf(TransientDataAccessResourceException.class)
            .hasCauseInstanceOf(JdbcStoreException.class);
        assertThat(storedEvents(id)).isZero();
    }

    @Test
    void answersServerErrorWithBodyWhenConnectionDiesDuringAppendInTransaction() throws Exception {
        String id = UUID.randomUUID().toString();
        HttpResponse<String> response = postWhileConnectionDies("/transactional-gates/" + id, false);
        assertThat(response.statusCode()).isBetween(500, 599);
        assertThat(response.body()).isNotBlank().contains("/transactional-gates/" + id);
        assertThat(this.service.thrown()).isInstanceOf(TransientDataAccessResourceException.class)
            .hasCauseInstanceOf(JdbcStoreException.class);
        assertThat(storedEvents(id)).isZero();
    }

    @Test
    void answersTheVersionWhenNothingFails() throws Exception {
        String id = UUID.randomUUID().toString();
        HttpResponse<String> response = this.http.send(post("/gates/" + id), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("1");
        assertThat(storedEvents(id)).isOne();
    }

    /**
     * Posts, and ends the application's database sessions while the command handler waits: with
     * pg_terminate_backend, or by killing their server processes.
     */
    private HttpResponse<String> postWhileConnectionDies(String path, boolean kill) throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Gate.HOOK.set(() -> {
            reached.countDown();
            await(release);
        });
        CompletableFuture<HttpResponse<String>> response = this.http.sendAsync(post(path),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reached.await(30, TimeUnit.SECONDS)).as("the command handler was reached").isTrue();
        terminateOtherSessions(kill);
        release.countDown();
        return response.get(60, TimeUnit.SECONDS);
    }

    private void terminateOtherSessions(boolean kill) throws InterruptedException {
        JdbcTemplate admin = new JdbcTemplate(this.postgres.postgresDatabase());
        List<Integer> terminated = admin.queryForList("SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                + " AND backend_type = 'client backend'", Integer.class);
        assertThat(terminated).as("the application's sessions").isNotEmpty();
        for (Integer pid : terminated) {
            if (kill) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            else {
                admin.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, pid);
            }
        }
        if (kill) {
            // The server ends every session and recovers after a killed process; wait until it answers again.
            Thread.sleep(500);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    admin.queryForObject("SELECT 1", Integer.class);
                    return;
                }
                catch (RuntimeException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(100);
                }
            }
        }
        // pg_terminate_backend only signals; wait until the sessions are gone.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (admin.queryForObject("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ANY(?)", Integer.class,
                (Object) terminated.toArray(Integer[]::new)) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private int storedEvents(String id) {
        return new JdbcTemplate(this.postgres.postgresDatabase())
            .queryForObject("SELECT COUNT(*) FROM eventsource_events WHERE aggregate_id = ?", Integer.class, id);
    }

    private HttpRequest post(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class EmbeddedPostgreSql {

        /** A server of the test's own: killing a server process makes the server end every session. */
        @Bean(destroyMethod = "close")
        EmbeddedPostgresServer embeddedPostgres() {
            return EmbeddedPostgresServer.startPrivate();
        }

        @Bean(destroyMethod = "destroy")
        SingleConnectionDataSource dataSource(EmbeddedPostgresServer postgres) {
            return new SingleConnectionDataSource(postgres.jdbcUrl(), EmbeddedPostgresServer.USER, "", true);
        }
    }
}
