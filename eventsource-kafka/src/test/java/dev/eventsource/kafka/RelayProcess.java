package dev.eventsource.kafka;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Map;

/**
 * A service instance running the Kafka relay in a process of its own, for {@link RelayProcessKillTests}: a
 * {@link KafkaRelay} with the default settings (name, window, batch size, lease, poll interval) on a JDBC store and its
 * {@link JdbcCheckpointStore}, sending to the given broker. It prints {@code active <owner>} once it holds the lease
 * and runs until it is killed (or the process that started it ends).
 *
 * <p>Arguments: the JDBC URL (with the user), the events table (its schema already created), the topic, the Kafka
 * bootstrap servers.
 */
public final class RelayProcess {

    private RelayProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Should the test JVM die without killing this process, it does not relay on forever.
        ProcessHandle.current().parent().ifPresent((parent) -> parent.onExit()
            .thenRun(() -> Runtime.getRuntime().halt(1)));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setMaximumPoolSize(4);
        JdbcStore store = JdbcStore.builder(new HikariDataSource(config)).tableName(args[1]).build();
        Map<String, Object> producer = KafkaRelay.producerConfig(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                args[3]));
        KafkaRelay relay = KafkaRelay.builder(store, () -> new KafkaProducer<>(producer), KafkaTopic.of(args[2]))
            .subscription((subscription) -> subscription.checkpoints(JdbcCheckpointStore.of(store)))
            .build();
        relay.start();
        while (relay.subscription().state() != Subscription.State.ACTIVE) {
            Thread.sleep(10);
        }
        System.out.println("active " + relay.subscription().owner() + " window " + relay.window() + " batch "
                + relay.subscription().batchSize());
        Thread.currentThread().join(); // until killed
    }
}
