package dev.eventsource.autoconfigure;

import dev.eventsource.Event;
import dev.eventsource.InvalidHandlerException;
import dev.eventsource.Observer;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.StoredEvent;
import dev.eventsource.annotation.Projection;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.BatchTransaction;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.ProjectionFailedException;
import dev.eventsource.subscription.ProjectionHandler;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's projections: every bean annotated {@link Projection}, checked at start-up. Each projection
 * that is not inline becomes a {@link Subscription} of the same name, configured by
 * {@code eventsource.subscriptions.<name>.*}, started and stopped with the application context; inline projections
 * are called by every repository right after its append, in the caller's thread and transaction.
 *
 * <p>As an {@link Observer} (called after the commit of each append) it wakes the subscriptions, so events
 * appended by this instance are projected at once rather than at the next poll; on PostgreSQL the subscriptions are
 * also woken by the database's notifications of appends by any instance.
 */
public final class EventSourceProjections implements SmartInitializingSingleton, SmartLifecycle, Observer {

    private static final Log LOG = LogFactory.getLog(EventSourceProjections.class);

    private final ListableBeanFactory beans;
    private final Store store;
    private final Serializer serializer;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    private final SubscriptionMetrics metrics;
    private final BatchTransaction transaction;
    private final EventSourceProperties properties;

    private volatile @Nullable Map<String, Subscription> subscriptions;
    private volatile @Nullable List<ProjectionHandler> inline;
    private final Set<String> warnedWithoutTransaction = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    /** How long a stop of the context waits for each subscription's batch in progress. */
    private volatile Duration stopWait = Duration.ofSeconds(30);
    private @Nullable AutoCloseable listening;

    EventSourceProjections(ListableBeanFactory beans, Store store, Serializer serializer, CheckpointStore checkpoints,
            DeadLetterStore deadLetters, SubscriptionMetrics metrics, BatchTransaction transaction,
            EventSourceProperties properties) {
        this.beans = beans;
        this.store = store;
        this.serializer = serializer;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.transaction = transaction;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        initialize();
    }

    private synchronized void initialize() {
        if (this.subscriptions != null) {
            return;
        }
        Map<String, Subscription> built = new LinkedHashMap<>();
        List<ProjectionHandler> inlineHandlers = new ArrayList<>();
        Map<String, String> beanByName = new LinkedHashMap<>();
        for (String beanName : this.beans.getBeanNamesForAnnotation(Projection.class)) {
            Object bean = this.beans.getBean(beanName);
            ProjectionHandler handler = ProjectionHandler.of(bean);
            String previous = beanByName.putIfAbsent(handler.name(), beanName);
            if (previous != null) {
                throw new InvalidHandlerException("Two projections are named '" + handler.name() + "' (beans '"
                        + previous + "' and '" + beanName + "'); give each @Projection its own name, since the"
                        + " name keys its checkpoint", InvalidHandlerException.Kind.PROJECTION,
                        InvalidHandlerException.Problem.DUPLICATE_NAME, bean.getClass(), null);
            }
            this.serializer.bind(handler.eventTypes().toArray(Class<?>[]::new));
            if (ProjectionHandler.findAnnotation(bean.getClass()).inline()) {
                inlineHandlers.add(handler);
                continue;
            }
            EventSourceProperties.Subscription settings = this.properties.subscription(handler.name());
            if (!settings.isEnabled()) {
                LOG.info("Subscription '" + handler.name() + "' is disabled (eventsource.subscriptions."
                        + handler.name() + ".enabled=false)");
                continue;
            }
            Subscription subscription = Subscription.builder(handler.name(), this.store, this.serializer, handler)
                .checkpoints(this.checkpoints)
                .deadLetters(this.deadLetters)
                .failurePolicy(settings.getFailurePolicy())
                .metrics(this.metrics)
                .transaction(this.transaction)
                .pollInterval(settings.getPollInterval())
                .batchSize(settings.getBatchSize())
                .startFrom(settings.getStartFrom())
                .maxAttempts(settings.getMaxAttempts())
                .backoff(settings.getBackoff(), settings.getMaxBackoff())
                .leaseTime(settings.getLeaseTime())
                .renewInterval(settings.getRenewInterval())
                .build();
            built.put(handler.name(), subscription);
        }
        this.inline = List.copyOf(inlineHandlers);
        this.subscriptions = Collections.unmodifiableMap(built);
    }

    /**
     * Returns the subscriptions of the enabled, non-inline projections: the same objects for the application
     * context's life, also across a stop and a start of the context.
     *
     * @return the subscriptions by name
     */
    public Map<String, Subscription> subscriptions() {
        initialize();
        return this.subscriptions;
    }

    /**
     * Returns one subscription.
     *
     * @param name the projection's name
     * @return its subscription
     * @throws IllegalArgumentException when there is no such enabled, non-inline projection
     */
    public Subscription subscription(String name) {
        Subscription subscription = subscriptions().get(name);
        if (subscription == null) {
            throw new IllegalArgumentException("No subscription '" + name + "'; the subscriptions are "
                    + subscriptions().keySet());
        }
        return subscription;
    }

    @Override
    public synchronized void start() {
        initialize();
        // Also after a stop of the context (Spring pauses cached test contexts, for one): each subscription starts
        // again and goes on from its checkpoint. One whose last batch outlived the stop's wait is still stopping
        // (two threads of one subscription never run): it starts once that batch ends.
        this.running = true;
        for (Subscription subscription : this.subscriptions.values()) {
            if (subscription.isRunning()) {
                LOG.warn("Subscription '" + subscription.name() + "' is still finishing the batch it had when the"
                        + " context stopped; it starts again when that batch ends");
                Thread restart = new Thread(() -> startWhenStopped(subscription),
                        "eventsource-restart-" + subscription.name());
                restart.setDaemon(true);
                restart.start();
            } else {
                subscription.start();
            }
        }
        if (!this.subscriptions.isEmpty() && this.store instanceof JdbcStore jdbc && jdbc.notifiesAppends()) {
            this.listening = jdbc.listenForAppends(this::wakeAll, ListenerConnectionLifetime.of(jdbc.dataSource(),
                    this.properties.getJdbc().getListenerConnectionLifetime()));
        }
    }

    /** Starts a subscription once its last run's thread has ended, unless the context stopped again meanwhile. */
    private void startWhenStopped(Subscription subscription) {
        try {
            while (subscription.isRunning() && this.running) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            if (this.running && !subscription.isRunning()) {
                try {
                    subscription.start();
                    LOG.info("Subscription '" + subscription.name() + "' started again");
                } catch (IllegalStateException e) {
                    LOG.error("Subscription '" + subscription.name() + "' could not start again; its lease lets"
                            + " another instance take over, or restart the application: " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public void stop() {
        synchronized (this) {
            this.running = false;
        }
        if (this.listening != null) {
            try {
                this.listening.close();
            } catch (Exception e) {
                LOG.warn("Stopping to listen for appends failed: " + e.getMessage(), e);
            }
            this.listening = null;
        }
        for (Subscription subscription : this.subscriptions.values()) {
            subscription.wake();
        }
        for (Subscription subscription : this.subscriptions.values()) {
            if (!subscription.stop(this.stopWait)) {
                LOG.warn("Subscription '" + subscription.name() + "' did not finish its batch within "
                        + this.stopWait.toMillis() + " ms; it stops when the batch ends, and until then its lease"
                        + " keeps other instances from taking over");
            }
        }
    }

    /** For tests: how long a stop waits for each subscription's batch in progress (30 s). */
    void stopWait(Duration wait) {
        this.stopWait = wait;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Wakes the subscriptions after an append by this application has committed. */
    @Override
    public void observe(Event event) {
        wakeAll();
    }

    private void wakeAll() {
        Map<String, Subscription> current = this.subscriptions;
        if (current != null) {
            for (Subscription subscription : current.values()) {
                subscription.wake();
            }
        }
    }

    /**
     * Calls the inline projections with an event just appended, in the caller's thread: inside a Spring-managed
     * transaction, so that a failure rolls back the append with the read model.
     */
    void project(Event event) {
        List<ProjectionHandler> handlers = this.inline;
        if (handlers == null) {
            // Only before afterSingletonsInstantiated: an append from a bean's initialization. Every later append
            // reads the volatile list without taking initialize's lock.
            initialize();
            handlers = this.inline;
        }
        for (ProjectionHandler handler : handlers) {
            if (!handler.handles(event.type())) {
                continue;
            }
            if (SpringTransactions.AVAILABLE && !SpringTransactions.inTransaction()
                    && this.warnedWithoutTransaction.add(handler.name())) {
                LOG.warn("Inline projection '" + handler.name() + "' ran outside a transaction: the events were"
                        + " already committed, so if the projection fails they stay stored while the read model"
                        + " misses them. Call repositories from a @Transactional method (logged once)");
            }
            StoredEvent stored = new StoredEvent(event, Map.of(), 0);
            try {
                handler.handle(stored);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ProjectionFailedException(handler.name(), true, stored, e);
            }
        }
    }
}
