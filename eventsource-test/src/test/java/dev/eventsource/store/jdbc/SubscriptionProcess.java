package dev.eventsource.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;

/**
 * An application instance in a process of its own, for {@link SubscriptionRestartTests}: follows one subscription
 * with the default settings on a JDBC store and prints each event it handles, until it is killed.
 *
 * <p>Arguments: the JDBC URL (with the user), the events table, the subscription's name.
 */
public final class SubscriptionProcess {

    private SubscriptionProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setMaximumPoolSize(4);
        JdbcStore store = JdbcStore.builder(new HikariDataSource(config)).tableName(args[1]).build();
        Subscription subscription = Subscription.builder(args[2], store,
                        JacksonSerializer.json().bind(SubscriptionRestartTests.Happened.class),
                        event -> System.out.println("handled " + event.position()))
                .checkpoints(JdbcCheckpointStore.of(store))
                .build();
        subscription.start();
        System.out.println("started " + subscription.owner());
        Thread.currentThread().join(); // until killed
    }
}
