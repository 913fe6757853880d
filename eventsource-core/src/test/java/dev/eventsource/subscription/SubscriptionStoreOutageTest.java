package dev.eventsource.subscription;

import dev.eventsource.Store;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A subscription whose store cannot be read gives up its lease and says so: it is not processing. */
class SubscriptionStoreOutageTest {

    @Test
    void standsByWhileTheStoreCannotBeReadAndResumesAfterwards() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        MemoryStore memory = new MemoryStore();
        Store store = new ReadHookStore(memory, (afterPosition) -> {
            if (down.get()) {
                throw new IllegalStateException("the database is down");
            }
        });
        Subscription subscription = Subscription.builder("outage", store, JacksonSerializer.json(), event -> { })
            .backoff(Duration.ofMillis(20), Duration.ofMillis(50))
            .build();
        subscription.start();
        try {
            assertThat(awaitState(subscription, Subscription.State.STANDBY)).isTrue();
            down.set(false);
            assertThat(awaitState(subscription, Subscription.State.ACTIVE)).isTrue();
        } finally {
            subscription.stop();
        }
    }

    private static boolean awaitState(Subscription subscription, Subscription.State state) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (subscription.state() == state) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
