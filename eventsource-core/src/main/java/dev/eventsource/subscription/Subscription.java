package dev.eventsource.subscription;

import dev.eventsource.Backoff;
import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.StoredEvent;
import dev.eventsource.store.memory.MemoryCheckpointStore;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A named, durable follower of the global event stream: catches up from its checkpoint, then follows new events,
 * handing each to a {@link SubscriptionHandler} in position order, at least once, never skipping one.
 *
 * <pre>{@code
 * Subscription people = Subscription.builder("people", store, serializer, event -> peopleTable.apply(event))
 *         .checkpoints(jdbcStore.checkpointStore())
 *         .build();
 * people.start();   // a daemon thread; people.stop() at shutdown
 * }</pre>
 *
 * <h2>How it never skips an event</h2>
 * It reads {@code store.readAll(checkpoint, batchSize)} and, once the handler succeeded on the batch, stores the
 * batch's last position as the new checkpoint. This is safe because every {@link Store} assigns positions in
 * commit order: a record that commits later never gets a position below one already readable (the JDBC store holds
 * one append lock per table from before it draws positions until its transaction ends; see
 * {@link dev.eventsource.store.jdbc.JdbcStore}; the memory store assigns them under its write lock). So "everything
 * after the checkpoint" is all that was not yet processed, with no gap timeout to guess.
 *
 * <h2>Failures</h2>
 * When the handler throws, the batch is retried (from the failing event) after a backoff that doubles from
 * {@link Builder#backoff} up to {@link Builder#maxBackoff}; after {@link Builder#maxAttempts} failed attempts on
 * the same event the subscription stops ({@link State#FAILED}) with an ERROR log line naming the subscription, the
 * position, the event type and the aggregate, and {@link SubscriptionMetrics#halted}. The checkpoint stays before
 * the event, so a restart retries it. Failures to reach the store or the checkpoint store are retried, with the
 * same backoff, for as long as the subscription runs.
 *
 * <h2>One instance at a time</h2>
 * Before processing, an instance takes the subscription's lease in the {@link CheckpointStore} and renews it with
 * every checkpoint (and while idle); others wait in {@link State#STANDBY} and take over once it is released
 * ({@link #stop()}) or expired. The checkpoint can only be advanced by the lease holder.
 */
public final class Subscription {

    private static final System.Logger LOG = System.getLogger(Subscription.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    /** The life cycle of a subscription. */
    public enum State {
        /** Built, not started. */
        NEW,
        /** Running, waiting for another instance to release or lose the lease. */
        STANDBY,
        /** Running and holding the lease: processing events. */
        ACTIVE,
        /** Stopped because the handler kept failing on an event; see {@link #failure()}. */
        FAILED,
        /** Stopped by {@link #stop()}. */
        STOPPED
    }

    private final String name;
    private final Store store;
    private final Serializer serializer;
    private final SubscriptionHandler handler;
    private final CheckpointStore checkpoints;
    private final StartFrom startFrom;
    private final int batchSize;
    private final Duration pollInterval;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration leaseTime;
    private final String owner;
    private final SubscriptionMetrics metrics;
    private final BatchTransaction transaction;

    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private volatile State state = State.NEW;
    private volatile Throwable failure;
    private volatile long checkpoint = -1;
    private Thread thread;

    private Subscription(Builder builder) {
        this.name = builder.name;
        this.store = builder.store;
        this.serializer = builder.serializer;
        this.handler = builder.handler;
        this.checkpoints = builder.checkpoints != null ? builder.checkpoints : new MemoryCheckpointStore();
        this.startFrom = builder.startFrom;
        this.batchSize = builder.batchSize;
        this.pollInterval = builder.pollInterval;
        this.maxAttempts = builder.maxAttempts;
        this.backoff = Backoff.exponential(builder.backoff, builder.maxBackoff);
        this.leaseTime = builder.leaseTime;
        this.owner = builder.owner != null ? builder.owner
                : ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        this.metrics = builder.metrics;
        this.transaction = builder.transaction;
    }

    /**
     * Starts building a subscription.
     *
     * @param name the subscription's name, which keys its checkpoint: a letter or digit, then up to 99 letters,
     *     digits, {@code _ . -}
     * @param store the store whose global stream it follows
     * @param serializer the serializer that turns records into events (their types must be bound)
     * @param handler what handles each event
     * @return a builder
     * @throws IllegalArgumentException when the name is not valid
     */
    public static Builder builder(String name, Store store, Serializer serializer, SubscriptionHandler handler) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid subscription name " + (name == null ? "null" : "'" + name + "'")
                    + ": use a letter or digit, then up to 99 letters, digits, '_', '.' or '-'");
        }
        return new Builder(name, Objects.requireNonNull(store, "store"), Objects.requireNonNull(serializer,
                "serializer"), Objects.requireNonNull(handler, "handler"));
    }

    /** @return the subscription's name */
    public String name() {
        return name;
    }

    /** @return where it is in its life cycle */
    public State state() {
        return state;
    }

    /** @return the last position this instance processed (its checkpoint), or -1 before it held the lease */
    public long position() {
        return checkpoint;
    }

    /** @return what stopped the subscription in {@link State#FAILED}, or null */
    public Throwable failure() {
        return failure;
    }

    /** @return how many events are read, handled and checkpointed at a time */
    public int batchSize() {
        return batchSize;
    }

    /** @return how often an idle subscription reads the stream unless woken */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** @return where the subscription starts when it has no checkpoint */
    public StartFrom startFrom() {
        return startFrom;
    }

    /** @return the owner token with which this instance takes the lease */
    public String owner() {
        return owner;
    }

    /**
     * Starts following the stream on a daemon thread named after the subscription.
     *
     * @throws IllegalStateException when it was already started
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("Subscription '" + name + "' was already started; build a new one");
        }
        running = true;
        state = State.STANDBY;
        metrics.halted(name, false);
        thread = new Thread(this::run, "eventsource-subscription-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops after the batch in progress (its checkpoint is stored first), releases the lease so another instance
     * can take over at once, and waits up to {@code timeout} for that.
     *
     * @param timeout how long to wait for the batch in progress
     * @return whether the subscription's thread ended within the timeout
     */
    public boolean stop(Duration timeout) {
        Thread current;
        synchronized (this) {
            running = false;
            current = thread;
        }
        wake();
        if (current == null) {
            state = State.STOPPED;
            return true;
        }
        try {
            current.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !current.isAlive();
    }

    /** Stops, waiting up to 30 seconds for the batch in progress; see {@link #stop(Duration)}. */
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    /** @return whether the subscription's thread is running (it is neither new, failed nor stopped) */
    public boolean isRunning() {
        Thread current = thread;
        return current != null && current.isAlive();
    }

    /**
     * Reads the stream now instead of at the next poll; call it after an append (a local observer) or from a
     * database notification. Cheap and safe from any thread.
     */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        boolean holding = false;
        long lastRenewal = 0;
        long failingPosition = -1;
        int attempts = 0;
        int transientFailures = 0;
        try {
            while (running) {
                try {
                    if (!holding) {
                        OptionalLong acquired = checkpoints.acquire(name, owner, leaseTime, this::initialPosition);
                        if (acquired.isEmpty()) {
                            state = State.STANDBY;
                            await(standbyWait());
                            continue;
                        }
                        holding = true;
                        lastRenewal = System.nanoTime();
                        checkpoint = acquired.getAsLong();
                        state = State.ACTIVE;
                        LOG.log(System.Logger.Level.DEBUG, () -> "Subscription '" + name + "' (" + owner
                                + ") holds its lease, from position " + checkpoint);
                    }
                    // Plain "after the checkpoint": positions follow commit order in every store, so nothing
                    // can commit later below what this read returns (JdbcStore: the per-table append lock).
                    List<Record> batch = store.readAll(checkpoint, batchSize);
                    if (batch.isEmpty()) {
                        metrics.lag(name, 0);
                        if (System.nanoTime() - lastRenewal > leaseTime.toNanos() / 3) {
                            if (!checkpoints.renew(name, owner, leaseTime)) {
                                holding = lostLease();
                                continue;
                            }
                            lastRenewal = System.nanoTime();
                        }
                        transientFailures = 0;
                        await(pollInterval);
                        continue;
                    }
                    Outcome outcome = process(batch);
                    transientFailures = 0;
                    if (outcome.leaseLost) {
                        holding = lostLease();
                        continue;
                    }
                    lastRenewal = System.nanoTime();
                    if (outcome.failed == null) {
                        attempts = 0;
                        failingPosition = -1;
                        metrics.lag(name, batch.size() < batchSize ? 0 : Math.max(0, store.lastPosition() - checkpoint));
                        continue;
                    }
                    metrics.failed(name);
                    Record failed = outcome.failed;
                    attempts = failed.position() == failingPosition ? attempts + 1 : 1;
                    failingPosition = failed.position();
                    if (attempts >= maxAttempts) {
                        halt(failed, attempts, outcome.cause);
                        return;
                    }
                    LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "': handler failed (attempt "
                            + attempts + " of " + maxAttempts + ") on the event at position " + failed.position()
                            + " (type " + failed.type() + ", aggregate '" + failed.aggregateId() + "'); retrying in "
                            + delay(attempts).toMillis() + " ms: " + outcome.cause, outcome.cause);
                    sleep(delay(attempts));
                } catch (RuntimeException e) {
                    // The store or the checkpoint store is unreachable: nothing was processed past the stored
                    // checkpoint, so retrying later is always safe.
                    transientFailures++;
                    LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' cannot read or checkpoint ("
                            + e.getMessage() + "); retrying in " + delay(transientFailures).toMillis() + " ms", e);
                    holding = false; // re-read the checkpoint: a failed transaction may have rolled back
                    sleep(delay(transientFailures));
                }
            }
        } catch (Error e) {
            failure = e;
            state = State.FAILED;
            throw e;
        } finally {
            if (holding) {
                try {
                    checkpoints.release(name, owner);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' could not release its lease ("
                            + e.getMessage() + "); another instance takes over when it expires");
                }
            }
            if (state != State.FAILED) {
                state = State.STOPPED;
            }
        }
    }

    private boolean lostLease() {
        LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' (" + owner + ") lost its lease to another"
                + " instance; its last batch was not checkpointed and is that instance's to process");
        state = State.STANDBY;
        return false;
    }

    private void halt(Record failed, int attempts, Throwable cause) {
        failure = new SubscriptionFailedException(name, failed, attempts, checkpoint, cause);
        running = false;
        metrics.halted(name, true);
        try {
            metrics.lag(name, Math.max(0, store.lastPosition() - checkpoint));
        } catch (RuntimeException ignored) {
            // the lag is informative only; the failure below is what matters
        }
        LOG.log(System.Logger.Level.ERROR, failure.getMessage(), cause);
        state = State.FAILED;
    }

    /** What became of one batch. */
    private record Outcome(boolean leaseLost, Record failed, Throwable cause) {
    }

    /** A handler failure on one record, carried out of the batch transaction to roll it back. */
    private static final class HandlerFailure extends RuntimeException {
        private final transient Record record;

        HandlerFailure(Record record, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.record = record;
        }
    }

    /** Refuses a checkpoint advance after the lease moved on, rolling back the batch transaction. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("lease lost", null, false, false);
        }
    }

    private Outcome process(List<Record> batch) {
        long[] handledUpTo = {checkpoint};
        int[] handled = {0};
        try {
            transaction.execute(() -> {
                for (Record record : batch) {
                    if (handler.handles(record.type())) {
                        try {
                            Event event = serializer.unmarshal(record);
                            handler.handle(new StoredEvent(event, record.metadata(), record.position()));
                        } catch (Exception e) {
                            throw new HandlerFailure(record, e);
                        }
                    }
                    handledUpTo[0] = record.position();
                    handled[0]++;
                }
                if (!checkpoints.advance(name, owner, handledUpTo[0], leaseTime)) {
                    throw new LeaseLost();
                }
            });
        } catch (LeaseLost lost) {
            return new Outcome(true, null, null);
        } catch (HandlerFailure e) {
            if (transaction == BatchTransaction.NONE && handledUpTo[0] > checkpoint) {
                // Without a transaction the events before the failing one are handled for good: checkpoint them so
                // only the failing event is retried.
                if (!checkpoints.advance(name, owner, handledUpTo[0], leaseTime)) {
                    return new Outcome(true, null, null);
                }
                checkpoint = handledUpTo[0];
                metrics.processed(name, handled[0]);
            }
            return new Outcome(false, e.record, e.getCause());
        }
        checkpoint = handledUpTo[0];
        metrics.processed(name, batch.size());
        return new Outcome(false, null, null);
    }

    private long initialPosition() {
        return startFrom == StartFrom.END ? store.lastPosition() : 0;
    }

    private Duration standbyWait() {
        Duration third = leaseTime.dividedBy(3);
        return pollInterval.compareTo(third) < 0 ? pollInterval : third;
    }

    private Duration delay(int attempt) {
        return backoff.delay(Math.max(1, attempt));
    }

    private void await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            try {
                while (!woken && running) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            woken = false;
        }
    }

    private void sleep(Duration timeout) {
        // A wake-up must not cut a backoff short, but stop() must.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running && System.nanoTime() < deadline) {
            await(Duration.ofNanos(deadline - System.nanoTime()));
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + name + ", " + state + ", position " + checkpoint + "]";
    }

    /** Configures a {@link Subscription}; every setting but the name, store, serializer and handler has a default. */
    public static final class Builder {

        /** Events read and handled per batch, and per checkpoint, unless set. */
        public static final int DEFAULT_BATCH_SIZE = 100;
        /** How often an idle subscription looks for new events, unless set or woken earlier. */
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
        /** Failed attempts on one event before the subscription stops, unless set. */
        public static final int DEFAULT_MAX_ATTEMPTS = 5;
        /** The wait after the first failure, doubled after each further one, unless set. */
        public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
        /** The longest wait between attempts, unless set. */
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
        /** How long a lease lasts without renewal, unless set. */
        public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

        private final String name;
        private final Store store;
        private final Serializer serializer;
        private final SubscriptionHandler handler;
        private CheckpointStore checkpoints;
        private StartFrom startFrom = StartFrom.BEGINNING;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration backoff = DEFAULT_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration leaseTime = DEFAULT_LEASE_TIME;
        private String owner;
        private SubscriptionMetrics metrics = SubscriptionMetrics.NONE;
        private BatchTransaction transaction = BatchTransaction.NONE;

        private Builder(String name, Store store, Serializer serializer, SubscriptionHandler handler) {
            this.name = name;
            this.store = store;
            this.serializer = serializer;
            this.handler = handler;
        }

        /**
         * Sets where checkpoints and leases are kept; by default in memory, so a restart starts over.
         *
         * @return this builder
         */
        public Builder checkpoints(CheckpointStore checkpoints) {
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            return this;
        }

        /**
         * Sets where a subscription without a checkpoint starts.
         *
         * @return this builder
         */
        public Builder startFrom(StartFrom startFrom) {
            this.startFrom = Objects.requireNonNull(startFrom, "startFrom");
            return this;
        }

        /**
         * Sets how many events are read, handled and checkpointed at a time.
         *
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("Subscription '" + name + "': batchSize must be at least 1, got "
                        + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets how often an idle subscription reads the stream, unless {@link Subscription#wake() woken} earlier.
         *
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive(pollInterval, "pollInterval");
            return this;
        }

        /**
         * Sets how many failed attempts on one event stop the subscription.
         *
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("Subscription '" + name + "': maxAttempts must be at least 1, got "
                        + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the wait after a failed attempt, doubled after each further failure up to {@code maxBackoff}.
         *
         * @return this builder
         * @throws IllegalArgumentException when not positive, or the maximum is below the first wait
         */
        public Builder backoff(Duration backoff, Duration maxBackoff) {
            this.backoff = positive(backoff, "backoff");
            this.maxBackoff = positive(maxBackoff, "maxBackoff");
            if (maxBackoff.compareTo(backoff) < 0) {
                throw new IllegalArgumentException("Subscription '" + name + "': maxBackoff " + maxBackoff
                        + " is below backoff " + backoff);
            }
            return this;
        }

        /**
         * Sets how long the lease lasts without renewal: how soon another instance takes over from one that died
         * without releasing it. It must exceed the time one batch takes to handle, or the lease moves on
         * mid-batch (the batch is then not checkpointed, and handled again by the new holder).
         *
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = positive(leaseTime, "leaseTime");
            return this;
        }

        /**
         * Sets the token naming this instance in the lease; by default the process id and a random UUID.
         *
         * @return this builder
         */
        public Builder owner(String owner) {
            if (owner == null || owner.isBlank() || owner.length() > 255) {
                throw new IllegalArgumentException("Subscription '" + name + "': owner must be 1 to 255 characters");
            }
            this.owner = owner;
            return this;
        }

        /**
         * Sets where processed events, failures, lag and halts are reported.
         *
         * @return this builder
         */
        public Builder metrics(SubscriptionMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Runs each batch and its checkpoint in a transaction; see {@link BatchTransaction}.
         *
         * @return this builder
         */
        public Builder transaction(BatchTransaction transaction) {
            this.transaction = Objects.requireNonNull(transaction, "transaction");
            return this;
        }

        /** @return the subscription, not yet started */
        public Subscription build() {
            return new Subscription(this);
        }

        private Duration positive(Duration duration, String what) {
            if (duration == null || duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException("Subscription '" + name + "': " + what + " must be positive, got "
                        + duration);
            }
            return duration;
        }
    }
}
