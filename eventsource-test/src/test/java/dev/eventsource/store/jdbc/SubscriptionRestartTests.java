package dev.eventsource.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Event;
import dev.eventsource.Serializer;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.test.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.eventsource.subscription.Subscription.Builder.DEFAULT_LEASE_TIME;
import static dev.eventsource.subscription.Subscription.Builder.DEFAULT_POLL_INTERVAL;
import static dev.eventsource.subscription.Subscription.Builder.DEFAULT_RENEW_INTERVAL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscription's lease across real processes, with the default settings: after {@code kill -9} of the process
 * holding it, another instance resumes within the lease time plus one poll interval, as the README promises; and
 * lease times do not depend on a session's time zone. On every database (the memory store lives and dies with its
 * process, so there is nothing to resume).
 */
class SubscriptionRestartTests {

    /** The resume time after a crash that the README and {@link Subscription} promise with the defaults. */
    static final Duration RESUME_BOUND = DEFAULT_LEASE_TIME.plus(DEFAULT_POLL_INTERVAL);
    /** Room for the database round trips of a loaded test machine. */
    private static final Duration MARGIN = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(60);

    record Happened(String aggregateId, long version, Instant at) implements Event {
    }

    abstract static class Base {

        final Serializer serializer = JacksonSerializer.json().bind(Happened.class);
        TestDatabases.Database database;
        String url;
        String table;
        JdbcStore store;

        abstract JdbcDialect dialect();

        @BeforeEach
        void createTable() {
            database = TestDatabases.get(dialect());
            url = TestDatabases.urlForOtherProcesses(dialect());
            table = TestDatabases.uniqueTable("restart");
            store = JdbcStore.builder(database.pooled()).tableName(table).build();
            store.createSchema();
        }

        @AfterEach
        void dropTable() {
            if (database != null) {
                TestDatabases.drop(database.pooled(), table);
            }
        }

        @Test
        @DisplayName("after kill -9 of the process holding the lease, a new instance resumes within lease time + poll")
        void resumesQuicklyAfterTheHolderProcessIsKilled() throws Exception {
            long startedAt = System.nanoTime();
            ChildJvm child = ChildJvm.start(SubscriptionProcess.class, url, table, "people");
            Subscription resumed = null;
            try {
                store.save("before", serializer.marshal(new Happened("before", 1, Instant.now())).withAggregateType("Thing"));
                long first = store.lastPosition();
                CheckpointStore checkpoints = JdbcCheckpointStore.of(store);
                child.await("the other process handles and checkpoints the first event", WAIT,
                        () -> checkpoints.position("people").orElse(-1) >= first);
                assertThat(child.output()).contains("handled " + first);
                System.out.printf("%s: the subscription process started and handled an event in %d ms%n", dialect(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));

                long killedAt = System.nanoTime();
                child.kill();
                List<Long> handled = new CopyOnWriteArrayList<>();
                resumed = Subscription.builder("people", store, serializer, event -> handled.add(event.position()))
                        .checkpoints(JdbcCheckpointStore.of(store)).build();
                resumed.start();
                store.save("after", serializer.marshal(new Happened("after", 1, Instant.now())).withAggregateType("Thing"));
                long second = store.lastPosition();
                child.await("the new instance handles the event appended after the kill", WAIT,
                        () -> handled.contains(second));
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

                System.out.printf("%s: projection resumed %d ms after kill -9 of the lease holder (lease %d ms,"
                                + " renewed every %d ms, poll %d ms)%n", dialect(), tookMillis,
                        DEFAULT_LEASE_TIME.toMillis(), DEFAULT_RENEW_INTERVAL.toMillis(),
                        DEFAULT_POLL_INTERVAL.toMillis());
                assertThat(tookMillis).as("resume time after kill -9, ms")
                        .isLessThanOrEqualTo(RESUME_BOUND.plus(MARGIN).toMillis());
                assertThat(tookMillis).as("the killed process never released the lease: it ran out")
                        .isGreaterThanOrEqualTo(DEFAULT_LEASE_TIME.minus(DEFAULT_RENEW_INTERVAL).toMillis() - 200);
                assertThat(handled).as("resumed after the killed process's checkpoint").containsExactly(second);
            } finally {
                if (resumed != null) {
                    resumed.stop(Duration.ofSeconds(10));
                }
                child.close();
            }
        }

        @Test
        @DisplayName("lease times do not depend on the session's time zone: a 1 s lease runs out after 1 s for all")
        void leaseTimesDoNotDependOnTheSessionTimeZone() {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(1);
            config.setConnectionInitSql(dialect() == JdbcDialect.MYSQL ? "SET time_zone = '+09:00'"
                    : "SET TIME ZONE 'Asia/Tokyo'");
            try (HikariDataSource tokyo = new HikariDataSource(config)) {
                CheckpointStore east = JdbcCheckpointStore.of(JdbcStore.builder(tokyo).tableName(table).build());
                CheckpointStore west = JdbcCheckpointStore.of(store);

                assertThat(east.acquire("zones", "east", Duration.ofSeconds(1), () -> 0)).isPresent();
                assertThat(west.acquire("zones", "west", Duration.ofMinutes(1), () -> 0)).as("lease running")
                        .isEmpty();
                LockSupport.parkNanos(Duration.ofMillis(1300).toNanos());
                assertThat(west.acquire("zones", "west", Duration.ofMinutes(1), () -> 0)).as("lease ran out")
                        .isPresent();
                assertThat(east.renew("zones", "east", Duration.ofSeconds(1))).isFalse();
            }
        }
    }

    @Nested
    class OnPostgres extends Base {
        @Override
        JdbcDialect dialect() {
            return JdbcDialect.POSTGRESQL;
        }
    }

    @Nested
    class OnMariaDb extends Base {
        @Override
        JdbcDialect dialect() {
            return JdbcDialect.MYSQL;
        }
    }

    @Nested
    class OnH2 extends Base {
        @Override
        JdbcDialect dialect() {
            return JdbcDialect.H2;
        }
    }
}
