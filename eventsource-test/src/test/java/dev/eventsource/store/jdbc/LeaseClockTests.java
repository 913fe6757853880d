package dev.eventsource.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.MemoryCheckpointStore;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leases are timed by one clock for every instance. On JDBC that is the database's: two instances whose sessions
 * read the time 26 hours apart (one at UTC-12, one at UTC+13/14, as instances configured in different zones are)
 * agree on when a lease ends, so neither takes the other's lease early or is locked out after it ended. The memory
 * store keeps its semantics: its one (injectable) clock decides, for every subscription of the process.
 */
class LeaseClockTests {

    private static final Duration LEASE = Duration.ofSeconds(2);

    /** Two instances of one application, each with its own connection pool, whose sessions disagree on the time. */
    abstract static class OnDatabase {

        private final List<HikariDataSource> pools = new ArrayList<>();
        private String table;
        private TestDatabases.Database database;

        abstract JdbcDialect dialect();

        abstract String url();

        abstract String user();

        /** @return the statement that puts a session in a time zone at an offset of {@code hours} from UTC */
        abstract String timeZone(int hours);

        abstract int farAhead();

        @AfterEach
        void closePools() {
            pools.forEach(HikariDataSource::close);
            if (table != null) {
                TestDatabases.drop(database.pooled(), table);
            }
        }

        private CheckpointStore instance(int hoursFromUtc) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url());
            if (user() != null) {
                config.setUsername(user());
            }
            config.setMaximumPoolSize(2);
            config.setConnectionInitSql(timeZone(hoursFromUtc));
            HikariDataSource pool = new HikariDataSource(config);
            pools.add(pool);
            return JdbcCheckpointStore.of(JdbcStore.builder(pool).dialect(dialect()).tableName(table).build());
        }

        @Test
        @DisplayName("an instance whose sessions run 26 hours ahead takes the lease neither early nor late")
        void skewedInstancesAgreeOnTheLeaseEnd() throws Exception {
            database = TestDatabases.get(dialect());
            table = TestDatabases.uniqueTable("lease");
            JdbcStore.builder(database.pooled()).dialect(dialect()).tableName(table).build().createSchema();
            CheckpointStore behind = instance(-12);
            CheckpointStore ahead = instance(farAhead());

            assertThat(behind.acquire("skewed", "behind", LEASE, () -> 5)).hasValue(5);
            long acquired = System.nanoTime();
            assertSessionsDisagree();

            int refused = 0;
            while (System.nanoTime() - acquired < LEASE.toNanos() / 2) {
                assertThat(ahead.acquire("skewed", "ahead", LEASE, () -> 0)).as("taken early").isEmpty();
                assertThat(ahead.advance("skewed", "ahead", 9, LEASE)).isFalse();
                refused++;
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertThat(behind.renew("skewed", "behind", LEASE)).as("the holder still holds it").isTrue();
            long renewed = System.nanoTime();
            TimeUnit.NANOSECONDS.sleep(LEASE.toNanos() + 300_000_000L - (System.nanoTime() - renewed));

            assertThat(ahead.acquire("skewed", "ahead", LEASE, () -> 0)).as("taken once the lease ended")
                    .hasValue(5);
            assertThat(behind.advance("skewed", "behind", 7, LEASE)).as("the old holder is fenced").isFalse();
            assertThat(behind.acquire("skewed", "behind", LEASE, () -> 0)).as("and cannot take it back early")
                    .isEmpty();
            assertThat(refused).isPositive();
        }

        /** The sessions really read the local time 25 or 26 hours apart, so the test tests something. */
        private void assertSessionsDisagree() throws Exception {
            String sql = switch (dialect()) {
                case POSTGRESQL -> "SELECT CAST(EXTRACT(HOUR FROM LOCALTIMESTAMP) AS INT)";
                case MYSQL -> "SELECT HOUR(NOW())";
                case H2 -> "SELECT EXTRACT(HOUR FROM LOCALTIMESTAMP)";
            };
            int behindHour = hour(pools.get(0), sql);
            int aheadHour = hour(pools.get(1), sql);
            assertThat(Math.floorMod(aheadHour - behindHour, 24)).as("hours between the sessions' clocks")
                    .isEqualTo(Math.floorMod(farAhead() + 12, 24));
        }

        private static int hour(HikariDataSource pool, String sql) throws Exception {
            try (var connection = pool.getConnection(); var statement = connection.createStatement();
                 var rows = statement.executeQuery(sql)) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        JdbcDialect dialect() {
            return JdbcDialect.POSTGRESQL;
        }

        String url() {
            return EmbeddedPostgresServer.shared().jdbcUrl();
        }

        String user() {
            return EmbeddedPostgresServer.USER;
        }

        String timeZone(int hours) {
            // POSIX zone names count the other way: Etc/GMT-14 is UTC+14.
            return "SET TIME ZONE 'Etc/GMT" + (hours > 0 ? "-" : "+") + Math.abs(hours) + "'";
        }

        int farAhead() {
            return 14;
        }
    }

    @Nested
    class OnMariaDb extends OnDatabase {
        JdbcDialect dialect() {
            return JdbcDialect.MYSQL;
        }

        String url() {
            TestDatabases.mariaDb();
            return System.getenv(TestDatabases.MARIADB_URL_VARIABLE);
        }

        String user() {
            return null;
        }

        String timeZone(int hours) {
            return "SET time_zone = '" + (hours < 0 ? "-" : "+") + String.format("%02d", Math.abs(hours)) + ":00'";
        }

        int farAhead() {
            return 13; // MariaDB's largest offset
        }
    }

    @Nested
    class OnH2 extends OnDatabase {
        JdbcDialect dialect() {
            return JdbcDialect.H2;
        }

        String url() {
            return TestDatabases.h2Url();
        }

        String user() {
            return "sa";
        }

        String timeZone(int hours) {
            return "SET TIME ZONE '" + (hours < 0 ? "-" : "+") + String.format("%02d", Math.abs(hours)) + ":00'";
        }

        int farAhead() {
            return 14;
        }
    }

    @Nested
    class OnMemory {

        @Test
        @DisplayName("memory: the store's one clock decides for every instance; a lease ends when that clock passes it")
        void theStoresClockDecides() {
            AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
            Clock clock = new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Instant instant() {
                    return now.get();
                }
            };
            MemoryCheckpointStore store = new MemoryCheckpointStore(clock);

            assertThat(store.acquire("s", "A", LEASE, () -> 3)).hasValue(3);
            now.set(now.get().plus(LEASE));
            assertThat(store.acquire("s", "B", LEASE, () -> 0)).as("not before the lease's end").isEmpty();
            now.set(now.get().plusMillis(1));
            assertThat(store.acquire("s", "B", LEASE, () -> 0)).as("after it").hasValue(3);
            assertThat(store.advance("s", "A", 4, LEASE)).as("old holder fenced").isFalse();
        }
    }
}
