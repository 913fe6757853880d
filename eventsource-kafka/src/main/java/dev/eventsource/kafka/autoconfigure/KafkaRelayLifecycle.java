package dev.eventsource.kafka.autoconfigure;

import dev.eventsource.Event;
import dev.eventsource.Observer;
import dev.eventsource.Store;
import dev.eventsource.kafka.KafkaRelay;
import dev.eventsource.store.jdbc.JdbcStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * Starts the {@link KafkaRelay} with the application context and stops it (waiting for the records in flight and
 * checkpointing them) at shutdown. Wakes it after each local append (an {@link Observer}, called after commit) and,
 * on PostgreSQL, on the database's notifications of appends by any instance; otherwise it polls.
 */
public final class KafkaRelayLifecycle implements SmartLifecycle, Observer {

    private static final Log LOG = LogFactory.getLog(KafkaRelayLifecycle.class);

    private final KafkaRelay relay;
    private final Store store;
    private volatile boolean running;
    private @Nullable AutoCloseable listening;

    KafkaRelayLifecycle(KafkaRelay relay, Store store) {
        this.relay = relay;
        this.store = store;
    }

    @Override
    public synchronized void start() {
        // Also after a stop (a context stopped and started again): the relay takes its lease again and goes on from
        // its checkpoint.
        LOG.info("Kafka relay '" + this.relay.name() + "' publishes the event stream to topic '"
                + this.relay.topic().value() + "' (at most " + this.relay.window() + " events in flight)");
        this.relay.start();
        Store target = this.store;
        if (target instanceof JdbcStore jdbc && jdbc.notifiesAppends()) {
            this.listening = jdbc.listenForAppends(this.relay::wake);
        }
        this.running = true;
    }

    @Override
    public synchronized void stop() {
        this.running = false;
        if (this.listening != null) {
            try {
                this.listening.close();
            } catch (Exception ex) {
                LOG.warn("Stopping to listen for appends failed: " + ex.getMessage(), ex);
            }
            this.listening = null;
        }
        if (!this.relay.stop(Duration.ofSeconds(30))) {
            LOG.warn("Kafka relay '" + this.relay.name() + "' did not stop within 30 s; its lease expires and another"
                    + " instance takes over from its checkpoint");
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public void observe(Event event) {
        this.relay.wake();
    }
}
