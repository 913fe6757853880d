package dev.eventsource.store.jdbc;

import dev.eventsource.Record;
import dev.eventsource.StoredEvent;
import dev.eventsource.subscription.Subscription;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.eventsource.store.jdbc.SubscriptionTestBase.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Never skipping an event around open transactions ({@link NeverSkipTestBase}) on the memory store and on every
 * supported database; on PostgreSQL also a subscription woken only by LISTEN, and a stuck numbering pass.
 */
class NeverSkipTests {

    @Nested
    class OnMemory extends NeverSkipTestBase {
        @Override
        Backend newBackend() {
            return memory();
        }

        @Override
        boolean appendsToOtherAggregatesWait() {
            return true; // one append lock, held by a transaction from its first append until it ends
        }
    }

    @Nested
    class OnPostgres extends NeverSkipTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.POSTGRESQL);
        }

        @Override
        boolean appendsToOtherAggregatesWait() {
            return false; // a lock per aggregate; committed rows are numbered after their commit
        }

        @Test
        @DisplayName("a subscription woken only by LISTEN (no polling) gets another process's event while a"
                + " transaction is open, and the open transaction's events once it commits")
        void listeningSubscriptionAroundAnOpenTransaction() throws Exception {
            JdbcStore jdbc = (JdbcStore) store;
            List<StoredEvent> seen = new CopyOnWriteArrayList<>();
            Subscription subscription = start(builder("listening", seen::add).pollInterval(Duration.ofHours(1)));
            try (AutoCloseable listening = jdbc.listenForAppends(subscription::wake)) {
                OpenTransaction t1 = begin();
                t1.append("late", records("late", 1, 2));
                // Another instance's store: only the database can tell this subscription about its append.
                JdbcStore other = JdbcStore.builder(TestDatabases.postgres()).tableName(jdbc.tableName()).build();
                other.save("elsewhere", records("elsewhere", 1, 1));

                awaitTrue("the other process's event is delivered while the transaction is open",
                        () -> keys(seen).contains("elsewhere@1"));
                assertThat(keys(seen)).containsExactly("elsewhere@1");
                t1.commit();
                awaitTrue("the late commit's events are delivered", () -> seen.size() == 3);
            }
            assertThat(keys(seen)).containsExactly("elsewhere@1", "late@1", "late@2");
            assertWholeStream("the subscription", asRecords(seen), Set.of("elsewhere@1", "late@1", "late@2"));
        }

        @Test
        @DisplayName("a numbering pass stuck holding the sequencing lock: reads go on with what is numbered, and the"
                + " events committed meanwhile come once, in order, after it ends")
        void aStuckNumberingPassHoldsNothingBackForLongAndSkipsNothing() throws Exception {
            JdbcStore jdbc = (JdbcStore) store;
            append("before", 1);
            Reader reader = new Reader("the reader", 10, 0);
            assertThat(keys(reader.read())).containsExactly("before@1");
            try (Connection stuck = TestDatabases.postgres().getConnection()) {
                stuck.setAutoCommit(false);
                // What a pass holds while it numbers: the table's sequencing lock, until its transaction ends.
                try (Statement statement = stuck.createStatement()) {
                    statement.executeQuery(("SELECT pg_advisory_xact_lock((CAST(%d AS BIGINT) << 32)"
                            + " | CAST(CAST(CAST('%s' AS REGCLASS) AS OID) AS BIGINT))")
                            .formatted(JdbcDialect.ADVISORY_KEY_SPACE, jdbc.tableName())).close();
                }
                append("during", 2);

                Future<List<Record>> read = others.submit(reader::read);
                assertThat(read.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a read while the lock is held returns,"
                        + " without the events waiting for their number").isEmpty();
                stuck.rollback();
            }
            assertThat(keys(reader.read())).containsExactly("during@1", "during@2");
            append("after", 1);
            assertThat(keys(reader.read())).containsExactly("after@1");
            assertWholeStream(reader.name, reader.seen, Set.of("before@1", "during@1", "during@2", "after@1"));
        }
    }

    @Nested
    class OnMariaDb extends NeverSkipTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.MYSQL);
        }

        @Override
        boolean appendsToOtherAggregatesWait() {
            return true; // the row lock on <table>_lock, held until the appending transaction ends
        }
    }

    @Nested
    class OnH2 extends NeverSkipTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.H2);
        }

        @Override
        boolean appendsToOtherAggregatesWait() {
            return true; // the row lock on <table>_lock, held until the appending transaction ends
        }
    }
}
