package dev.eventsource;

import dev.eventsource.RepositoryMetrics.SnapshotOutcome;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A repository's snapshots: finding a usable one, reading it into an aggregate, and taking new ones off the
 * caller's thread. A snapshot that cannot be used is logged (once per aggregate type and reason) and counted, never
 * an error: the repository replays the events instead.
 */
final class SnapshotSupport {

    private static final System.Logger LOG = System.getLogger(Repository.class.getName());

    /** The default executor's queue: snapshots due beyond it are skipped (counted), never waited for. */
    static final int DEFAULT_QUEUE = 1024;

    private final Class<?> type;
    private final String typeName;
    private final SnapshotStore store;
    private final StateSerializer serializer;
    private final SnapshotPolicy policy;
    private final String fingerprint;
    private final Executor executor;
    private final RepositoryMetrics metrics;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean staleLogged = new AtomicBoolean();
    private final AtomicBoolean unreadableLogged = new AtomicBoolean();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final AtomicBoolean skipLogged = new AtomicBoolean();

    SnapshotSupport(Class<?> type, String typeName, SnapshotStore store, StateSerializer serializer,
                    SnapshotPolicy policy, @Nullable Executor executor, RepositoryMetrics metrics) {
        this.type = type;
        this.typeName = typeName;
        this.store = store;
        this.serializer = serializer;
        this.policy = policy;
        this.fingerprint = serializer.fingerprint(type);
        this.executor = executor != null ? executor : defaultExecutor(typeName);
        this.metrics = metrics;
    }

    SnapshotPolicy policy() {
        return policy;
    }

    /**
     * Finds the aggregate's snapshot and reads it into a new aggregate.
     *
     * @return the snapshot read into {@code aggregate}, or null when there is none or it cannot be used
     */
    @Nullable Snapshot restore(String aggregateId, Object aggregate) {
        Snapshot snapshot;
        try {
            snapshot = store.load(typeName, aggregateId);
        } catch (RuntimeException e) {
            failed("reading the snapshot of " + typeName + " '" + aggregateId + "' failed", e);
            return null;
        }
        if (snapshot == null) {
            miss();
            return null;
        }
        return restore(snapshot, aggregate) ? snapshot : null;
    }

    /** Counts a miss: the aggregate has no snapshot. */
    void miss() {
        metrics.snapshot(type, SnapshotOutcome.MISS);
    }

    /** @return the snapshot store */
    SnapshotStore store() {
        return store;
    }

    /** @return the aggregate type name snapshots are keyed by */
    String typeName() {
        return typeName;
    }

    /**
     * Reads a snapshot that was found into a new aggregate, when it fits the class.
     *
     * @return whether it was read; when not, it was counted (and logged once) as stale
     */
    boolean restore(Snapshot snapshot, Object aggregate) {
        if (!snapshot.fingerprint().equals(fingerprint) || snapshot.revision() != policy.revision()) {
            stale(snapshot, "it was taken from another shape of " + type.getName() + " (fingerprint "
                    + snapshot.fingerprint() + ", revision " + snapshot.revision() + "; today " + fingerprint
                    + ", revision " + policy.revision() + ")");
            return false;
        }
        try {
            serializer.unmarshalState(aggregate, snapshot.data());
        } catch (RuntimeException e) {
            metrics.snapshot(type, SnapshotOutcome.STALE);
            if (unreadableLogged.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "Snapshot " + snapshot + " cannot be read, so " + typeName
                        + " aggregates are replayed from their events until new snapshots replace such ones: "
                        + e.getMessage() + " (logged once per aggregate type)");
            }
            return false;
        }
        return true;
    }

    /** Counts a hit: the load started from the snapshot. */
    void hit() {
        metrics.snapshot(type, SnapshotOutcome.HIT);
    }

    /** Counts and logs (once) a snapshot that does not fit the stored events or the class. */
    void stale(Snapshot snapshot, String why) {
        metrics.snapshot(type, SnapshotOutcome.STALE);
        if (staleLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "Ignoring snapshot " + snapshot + ": " + why + "; the aggregate is "
                    + "replayed from its events and the next snapshot replaces it (logged once per aggregate type)");
        }
    }

    /**
     * Takes a snapshot of the aggregate later, on the snapshot executor, when one is due; at most one is pending
     * per aggregate.
     *
     * @param events events replayed or appended since the last snapshot
     * @param loadNanos how long the load took
     * @param current loads the aggregate as committed, on the executor's thread
     */
    void takeIfDue(String aggregateId, long events, long loadNanos, Supplier<Current> current) {
        if (!policy.due(events, loadNanos) || !inFlight.add(aggregateId)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    take(aggregateId, current.get());
                } finally {
                    inFlight.remove(aggregateId);
                }
            });
        } catch (RejectedExecutionException full) {
            inFlight.remove(aggregateId);
            metrics.snapshot(type, SnapshotOutcome.SKIPPED);
            if (skipLogged.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "A snapshot of " + typeName + " '" + aggregateId + "' was due "
                        + "but the snapshot executor refused it (queue full); commands go on, loads replay more "
                        + "events until one is taken (logged once per aggregate type)");
            }
        }
    }

    /** What a snapshot is taken of: the aggregate as committed, its version, whether it is the stored snapshot. */
    record Current(@Nullable Object aggregate, long version, boolean unchangedSinceSnapshot) {
    }

    private void take(String aggregateId, Current current) {
        try {
            if (current.aggregate() == null || current.unchangedSinceSnapshot()) {
                return;
            }
            byte[] data = serializer.marshalState(current.aggregate());
            if (store.save(new Snapshot(typeName, aggregateId, current.version(), fingerprint, policy.revision(),
                    Instant.now(), data))) {
                metrics.snapshot(type, SnapshotOutcome.TAKEN);
            }
        } catch (RuntimeException e) {
            failed("taking a snapshot of " + typeName + " '" + aggregateId + "' failed", e);
        }
    }

    private void failed(String what, RuntimeException e) {
        metrics.snapshot(type, SnapshotOutcome.FAILED);
        if (failureLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, what + "; commands and loads are not affected (they replay the "
                    + "events), later failures are counted in the metrics only: " + e, e);
        } else {
            LOG.log(System.Logger.Level.DEBUG, what + ": " + e);
        }
    }

    /**
     * One daemon thread, started when needed and ended after a minute idle, with a bounded queue: snapshots never
     * hold up a command nor keep a JVM alive.
     */
    private static Executor defaultExecutor(String typeName) {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(DEFAULT_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "eventsource-snapshots-" + typeName + "-"
                            + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
