package dev.eventsource.store.jdbc;

import dev.eventsource.subscription.Subscription;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Subscriptions ({@link SubscriptionTestBase}) on the memory store and on every supported database. */
class SubscriptionTests {

    @Nested
    class OnMemory extends SubscriptionTestBase {
        @Override
        Backend newBackend() {
            return memory();
        }
    }

    @Nested
    class OnPostgres extends SubscriptionTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.POSTGRESQL);
        }

        @Test
        @DisplayName("a LISTEN/NOTIFY wake-up delivers an append committed elsewhere long before the next poll")
        void wokenByNotificationOfAnAppendByAnotherStore() throws Exception {
            JdbcStore jdbc = (JdbcStore) store;
            List<String> handled = new CopyOnWriteArrayList<>();
            Subscription subscription = Subscription.builder("notified", store, serializer,
                    e -> handled.add(e.event().aggregateId())).checkpoints(backend.checkpoints())
                    .pollInterval(Duration.ofHours(1)).build();
            subscription.start();
            try (AutoCloseable listening = jdbc.listenForAppends(subscription::wake)) {
                awaitTrue("the subscription holds its lease", () -> subscription.position() >= 0);
                // Another instance's store: only the database can tell this subscription about the append.
                JdbcStore other = JdbcStore.builder(TestDatabases.postgres()).tableName(jdbc.tableName()).build();
                // The listener may connect after this append; it wakes its listeners once when it connects.
                other.save("elsewhere", serializer.marshal(new Happened("elsewhere", 1, Instant.now(), 0, 0))
                        .withAggregateType("Thing"));

                awaitTrue("the append is handled", () -> handled.contains("elsewhere"));
            } finally {
                subscription.stop();
            }
        }
    }

    @Nested
    class OnMariaDb extends SubscriptionTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.MYSQL);
        }
    }

    @Nested
    class OnH2 extends SubscriptionTestBase {
        @Override
        Backend newBackend() {
            return jdbc(JdbcDialect.H2);
        }
    }
}
