package dev.eventsource.subscription;

import dev.eventsource.Backoff;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * A named, durable follower of the global event stream: catches up from its checkpoint, then follows new events,
 * handing each to a {@link SubscriptionHandler} in position order, at least once, never skipping one.
 *
 * <pre>{@code
 * Subscription people = Subscription.builder("people", store, serializer, event -> peopleTable.apply(event))
 *         .checkpoints(JdbcCheckpointStore.of(jdbcStore))
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
 * the same event its {@link FailurePolicy} decides. {@link FailurePolicy#HALT} (the default): the subscription halts
 * ({@link State#HALTED}) with an ERROR log line naming the subscription, the position, the event type and the
 * aggregate, and {@link SubscriptionMetrics#halted}; the checkpoint stays before the event, and the instance keeps
 * its thread and lease, waiting for an operator: {@link #restart()} retries the event (after a fix),
 * {@link #skip()} moves it to the dead letters. (An instance that takes the lease afresh, after a restart of the
 * application, retries it too.) {@link FailurePolicy#DEAD_LETTER}: the event's coordinates and the error go to the
 * {@link DeadLetterStore} in the batch that moves the checkpoint past it, and processing goes on;
 * {@link #replay(long)} applies it later. Failures to reach the store or the checkpoint store are retried, with the
 * same backoff, for as long as the subscription runs.
 *
 * <h2>Operations, with several instances</h2>
 * {@link #pause()}, {@link #resume()}, {@link #restart()}, {@link #skip()}, {@link #replay(long)} and
 * {@link #reset(long)} may be called on any instance, holding the lease or not: each is a request recorded in the
 * {@link CheckpointStore} by one conditional write (refused with a {@link SubscriptionOperationException} when it does
 * not fit the subscription's state), which the lease holder obeys before its next batch, at the latest after one
 * poll interval. Pause, resume and restart change the kept state; skip, replay and reset wait there as an operation
 * that the holder executes, calling the handler (replay) or its reset hook (reset) on its own thread and in its batch
 * transaction. {@link #status()} reads the kept state, so every instance reports the same.
 *
 * <h2>One instance at a time, and a quick takeover after a crash</h2>
 * Before processing, an instance takes the subscription's lease in the {@link CheckpointStore}; others wait in
 * {@link State#STANDBY} and take over once it is released ({@link #stop()}) or has run out. The lease is short
 * ({@link Builder#leaseTime}, 5 s by default) and a thread of its own renews it every {@link Builder#renewInterval}
 * (1 s), however long a batch takes. So after the holder dies without releasing it ({@code kill -9}, a lost
 * machine), another instance, or the restarted one, resumes within the lease time plus one standby poll (at most
 * the poll interval or a third of the lease time): about 6 s with the defaults.
 * <p>Two live instances never process at once: the checkpoint can only be advanced by the lease holder (fencing),
 * so a batch whose checkpoint write is refused is not checkpointed and, in a {@link BatchTransaction}, rolls back.
 * And a holder stops before its next batch once a renewal finds the lease lost or fails, or when no renewal has
 * succeeded for a whole lease time (a long pause); it then takes the lease again if it is still free.
 */
public final class Subscription {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    /** The life cycle of a subscription. */
    public enum State {
        /** Built, not started. */
        NEW,
        /** Running, waiting for another instance to release or lose the lease. */
        STANDBY,
        /** Running and holding the lease: processing events. */
        ACTIVE,
        /**
         * Holding the lease and halted at an event the handler kept failing on ({@link FailurePolicy#HALT}); see
         * {@link #failure()}. Waits for {@link #restart()} or {@link #skip()}.
         */
        HALTED,
        /** Holding the lease, paused by {@link #pause()} on any instance. */
        PAUSED,
        /** Stopped by an error of the JVM (an {@link Error}) on its thread; see {@link #failure()}. */
        FAILED,
        /** Stopped by {@link #stop()}. */
        STOPPED
    }

    // Package-private: the processing loop (SubscriptionLoop) and the lease (SubscriptionLease) work on them.
    final String name;
    final Store store;
    // Null in a pipelined subscription, which hands raw records to its pipeline instead.
    final @Nullable Serializer serializer;
    final @Nullable SubscriptionHandler handler;
    final @Nullable RecordPipeline pipeline;
    final CheckpointStore checkpoints;
    final StartFrom startFrom;
    final int batchSize;
    final Duration pollInterval;
    final int maxAttempts;
    final Backoff backoff;
    final Duration leaseTime;
    final Duration renewInterval;
    final String owner;
    final SubscriptionMetrics metrics;
    final BatchTransaction transaction;
    final FailurePolicy failurePolicy;
    final DeadLetterStore deadLetters;

    final Object signal = new Object();
    boolean woken; // guarded by signal
    volatile boolean running;
    volatile State state = State.NEW;
    volatile @Nullable Throwable failure;
    volatile long checkpoint = -1;
    /** Set when an operation is asked on this instance, so that the loop reads the state at once. */
    volatile boolean operationAsked;
    private @Nullable Thread thread;
    @Nullable Thread renewer;

    // The lease, shared by the processing thread (takes, drops and releases it) and the renewer thread.
    private final SubscriptionLease lease;
    private final SubscriptionLoop loop;

    private Subscription(Builder builder) {
        this.name = builder.name;
        this.store = builder.store;
        this.serializer = builder.serializer;
        this.handler = builder.handler;
        this.pipeline = builder.pipeline;
        this.checkpoints = builder.checkpoints != null ? builder.checkpoints : new MemoryCheckpointStore();
        this.startFrom = builder.startFrom;
        this.batchSize = builder.batchSize;
        this.pollInterval = builder.pollInterval;
        this.maxAttempts = builder.maxAttempts;
        this.backoff = Backoff.exponential(builder.backoff, builder.maxBackoff);
        this.leaseTime = builder.leaseTime;
        this.renewInterval = builder.renewInterval;
        this.owner = builder.owner != null ? builder.owner
                : ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        this.metrics = builder.metrics;
        this.transaction = builder.transaction;
        this.failurePolicy = builder.failurePolicy;
        this.deadLetters = builder.deadLetters != null ? builder.deadLetters : new MemoryDeadLetterStore();
        this.lease = new SubscriptionLease(this);
        this.loop = new SubscriptionLoop(this, lease);
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
        return new Builder(requireValidName(name), Objects.requireNonNull(store, "store"), Objects.requireNonNull(serializer,
                "serializer"), Objects.requireNonNull(handler, "handler"), null);
    }

    /**
     * Starts building a pipelined subscription: one that hands the raw records (not deserialized) to a
     * {@link RecordPipeline} whose work completes asynchronously, keeps reading while earlier records are in
     * flight, and checkpoints the highest position up to which every record is complete. Checkpoints, lease, metrics
     * and halting work as for any subscription; a non-retriable {@link RecordPipeline.Failure} halts it at once
     * ({@link Builder#maxAttempts} does not apply), a retriable one is retried from the checkpoint with backoff for
     * as long as it runs. {@link Builder#transaction} does not apply either: nothing is written but the checkpoint.
     *
     * @param name the subscription's name, as for {@link #builder(String, Store, Serializer, SubscriptionHandler)}
     * @param store the store whose global stream it follows
     * @param pipeline what takes the records
     * @return a builder
     * @throws IllegalArgumentException when the name is not valid
     */
    public static Builder builder(String name, Store store, RecordPipeline pipeline) {
        return new Builder(requireValidName(name), Objects.requireNonNull(store, "store"), null, null,
                Objects.requireNonNull(pipeline, "pipeline"));
    }

    private static String requireValidName(@Nullable String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid subscription name " + (name == null ? "null" : "'" + name + "'")
                    + ": use a letter or digit, then up to 99 letters, digits, '_', '.' or '-'");
        }
        return name;
    }

    /** @return the record at a position of the store's global stream, or null when none is there (any longer) */
    static @Nullable Record recordAt(Store store, long position) {
        List<Record> found = store.readAll(position - 1, 1);
        return found.isEmpty() || found.get(0).position() != position ? null : found.get(0);
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

    /** @return what halted the subscription ({@link State#HALTED}) or stopped it ({@link State#FAILED}), or null */
    public @Nullable Throwable failure() {
        return failure;
    }

    /** @return what it does with an event its handler keeps failing on */
    public FailurePolicy failurePolicy() {
        return failurePolicy;
    }

    /** @return where its dead letters are kept */
    public DeadLetterStore deadLetters() {
        return deadLetters;
    }

    /** @return where its checkpoint, lease and state are kept */
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    /** @return the store whose global stream it follows */
    public Store store() {
        return store;
    }

    /**
     * Reads the subscription's state as every instance sees it: the state kept with its checkpoint, the lease, the
     * store's head, the lag, the dead letters and the last failure.
     *
     * @return the status now
     * @throws RuntimeException when the store or the checkpoint store cannot be read
     */
    public SubscriptionStatus status() {
        Optional<CheckpointState> kept = checkpoints.state(name);
        long head = store.lastPosition();
        long position = kept.map(CheckpointState::position).orElse(Math.max(0, checkpoint));
        Instant now = Instant.now();
        SubscriptionStatus.State shown;
        CheckpointState row = kept.orElse(null);
        boolean leased = row != null && row.owner() != null && row.leaseUntil() != null
                && row.leaseUntil().isAfter(now);
        if (row != null && row.state() != SubscriptionStatus.State.RUNNING) {
            shown = row.state();
        } else if (leased) {
            shown = SubscriptionStatus.State.RUNNING;
        } else {
            shown = isRunning() ? SubscriptionStatus.State.RUNNING : SubscriptionStatus.State.STOPPED;
        }
        long lag = Math.max(0, head - position);
        @Nullable Long lagMillis = 0L;
        if (lag > 0) {
            List<Record> next = store.readAll(position, 1);
            lagMillis = next.isEmpty() ? null : Math.max(0, now.toEpochMilli() - next.get(0).at().toEpochMilli());
        }
        SubscriptionStatus.@Nullable Failure lastFailure = null;
        if (row != null && row.failedPosition() > 0 && row.failure() != null) {
            Record event = recordAt(store, row.failedPosition());
            lastFailure = new SubscriptionStatus.Failure(row.failedPosition(),
                    event == null || event.aggregateType() == null ? "" : event.aggregateType(),
                    event == null ? "" : event.aggregateId(), event == null ? 0 : event.version(),
                    event == null ? "" : event.type(), row.failure(),
                    row.failedAt() != null ? row.failedAt() : now);
        }
        return new SubscriptionStatus(name, shown, failurePolicy, position, head, lag, lagMillis,
                leased ? row.owner() : null, leased ? row.leaseUntil() : null, deadLetters.count(name),
                lastFailure);
    }

    /**
     * Asks the lease holder to stop processing after its batch in progress, until {@link #resume()}.
     *
     * @throws SubscriptionOperationException when the subscription is not running (paused, halted, never run)
     */
    public void pause() {
        request("pause", EnumSet.of(SubscriptionStatus.State.RUNNING), SubscriptionStatus.State.PAUSED, null);
    }

    /**
     * Lets a paused subscription go on.
     *
     * @throws SubscriptionOperationException when it is not paused
     */
    public void resume() {
        request("resume", EnumSet.of(SubscriptionStatus.State.PAUSED), SubscriptionStatus.State.RUNNING, null);
    }

    /**
     * Has a halted subscription retry the event it halted on (after the handler or the data was fixed).
     *
     * @throws SubscriptionOperationException when it is not halted
     */
    public void restart() {
        request("restart", EnumSet.of(SubscriptionStatus.State.HALTED), SubscriptionStatus.State.RUNNING, null);
    }

    /**
     * Has a halted subscription move the event it halted on to its dead letters and go on.
     *
     * @throws SubscriptionOperationException when it is not halted, or another operation waits, or it hands its
     *         records to a {@link RecordPipeline} (which has no dead letters: restart it, or reset it past the event)
     */
    public void skip() {
        if (pipeline != null) {
            throw new SubscriptionOperationException(name, "Subscription '" + name + "' hands its records to a"
                    + " pipeline, which has no dead letters, so it cannot skip an event: fix the cause and restart"
                    + " it, or reset it to a position past the event");
        }
        request("skip", EnumSet.of(SubscriptionStatus.State.HALTED), null, "skip");
    }

    /**
     * Has the lease holder apply a dead letter's event once through the handler, then delete the dead letter (both
     * in one batch transaction). When the handler fails again, the dead letter stays and the failure is logged.
     *
     * @param deadLetter the dead letter's id
     * @throws DeadLetterNotFoundException when the subscription has no dead letter with the id
     * @throws SubscriptionOperationException when another operation waits
     */
    public void replay(long deadLetter) {
        if (deadLetters.find(name, deadLetter).isEmpty()) {
            throw new DeadLetterNotFoundException(name, deadLetter);
        }
        request("replay", EnumSet.of(SubscriptionStatus.State.RUNNING, SubscriptionStatus.State.PAUSED,
                SubscriptionStatus.State.HALTED), null, "replay:" + deadLetter);
    }

    /**
     * Has the lease holder rebuild from a position: in one batch transaction it calls the handler's reset hook
     * ({@link SubscriptionHandler#reset(long)}, a projection's {@link dev.eventsource.annotation.ResetHandler}),
     * deletes the dead letters after the position, moves the checkpoint to it and sets the subscription running;
     * then it handles every event after the position again.
     *
     * @param position the position to restart after; 0 for the beginning
     * @throws IllegalArgumentException when the position is negative
     * @throws SubscriptionOperationException when another operation waits, or it has never run
     */
    public void reset(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("Subscription '" + name + "': cannot reset to position " + position
                    + "; use 0 for the beginning or a position of the stream");
        }
        request("reset", EnumSet.of(SubscriptionStatus.State.RUNNING, SubscriptionStatus.State.PAUSED,
                SubscriptionStatus.State.HALTED), null, "reset:" + position);
    }

    private void request(String what, Set<SubscriptionStatus.State> from, SubscriptionStatus.@Nullable State to,
                         @Nullable String operation) {
        if (!checkpoints.request(name, from, to, operation)) {
            Optional<CheckpointState> kept = checkpoints.state(name);
            if (kept.isEmpty()) {
                throw new SubscriptionOperationException(name, "Subscription '" + name + "' has never run, so there"
                        + " is nothing to " + what + "; start it first");
            }
            if (operation != null && kept.get().operation() != null) {
                throw new SubscriptionOperationException(name, "Subscription '" + name + "': the operation '"
                        + kept.get().operation() + "' still waits for the instance holding the lease ("
                        + (kept.get().owner() == null ? "none holds it now" : kept.get().owner()) + "); " + what
                        + " once it has run");
            }
            throw new SubscriptionOperationException(name, "Subscription '" + name + "' is "
                    + kept.get().state() + ", and " + what + " needs it " + from.stream().map(Enum::name)
                    .sorted().reduce((a, b) -> a + " or " + b).orElse("") + "; read its status first");
        }
        operationAsked = true;
        wake();
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

    /** @return how long the lease lasts without renewal */
    public Duration leaseTime() {
        return leaseTime;
    }

    /** @return how often the holder renews its lease */
    public Duration renewInterval() {
        return renewInterval;
    }

    /** @return the owner token with which this instance takes the lease */
    public String owner() {
        return owner;
    }

    /**
     * Starts following the stream on a daemon thread named after the subscription. A subscription that was stopped
     * (or failed) can be started again: it takes its lease again and goes on from its checkpoint.
     *
     * @throws IllegalStateException when it is running, or its threads are still stopping
     */
    public synchronized void start() {
        if (thread != null && thread.isAlive()) {
            throw new IllegalStateException("Subscription '" + name + "' is " + (running ? "running" : "still"
                    + " stopping") + "; stop it, and wait for the stop, before starting it again");
        }
        if (renewer != null && renewer.isAlive()) {
            // The renewer of the last run ends as soon as it sees running false (it was woken at the stop): wait
            // for it, so that no two renewers run.
            LockSupport.unpark(renewer);
            try {
                renewer.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (renewer.isAlive()) {
                throw new IllegalStateException("Subscription '" + name + "' is still stopping (its lease renewal"
                        + " has not ended); start it again later");
            }
        }
        failure = null;
        running = true;
        state = State.STANDBY;
        metrics.halted(name, false);
        thread = new Thread(loop::run, "eventsource-subscription-" + name);
        thread.setDaemon(true);
        renewer = new Thread(lease::renewLease, "eventsource-lease-" + name);
        renewer.setDaemon(true);
        thread.start();
        renewer.start();
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

    /** @return whether the subscription's thread is running (it is neither new, failed nor stopped; halted is running) */
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
        /**
         * How long a lease lasts without renewal, unless set: about how long a crashed holder keeps others from
         * taking over.
         */
        public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(5);
        /** How often the holder renews its lease, unless set. */
        public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(1);
        /** Where a subscription without a checkpoint starts, unless set. */
        public static final StartFrom DEFAULT_START_FROM = StartFrom.BEGINNING;

        private final String name;
        private final Store store;
        private final @Nullable Serializer serializer;
        private final @Nullable SubscriptionHandler handler;
        private final @Nullable RecordPipeline pipeline;
        private @Nullable CheckpointStore checkpoints;
        private StartFrom startFrom = DEFAULT_START_FROM;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration backoff = DEFAULT_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration leaseTime = DEFAULT_LEASE_TIME;
        private Duration renewInterval = DEFAULT_RENEW_INTERVAL;
        private @Nullable String owner;
        private SubscriptionMetrics metrics = SubscriptionMetrics.NONE;
        private BatchTransaction transaction = BatchTransaction.NONE;
        private FailurePolicy failurePolicy = FailurePolicy.HALT;
        private @Nullable DeadLetterStore deadLetters;

        private Builder(String name, Store store, @Nullable Serializer serializer,
                @Nullable SubscriptionHandler handler, @Nullable RecordPipeline pipeline) {
            this.name = name;
            this.store = store;
            this.serializer = serializer;
            this.handler = handler;
            this.pipeline = pipeline;
        }

        /**
         * Sets where checkpoints and leases are kept ({@link dev.eventsource.subscription.jdbc.JdbcCheckpointStore}
         * for a JDBC store); by default in memory ({@link MemoryCheckpointStore}), so a restart starts over.
         *
         * @return this builder
         */
        public Builder checkpoints(CheckpointStore checkpoints) {
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            return this;
        }

        /**
         * Sets what the subscription does with an event its handler failed on {@link #maxAttempts} times;
         * {@link FailurePolicy#HALT} unless set.
         *
         * @return this builder
         */
        public Builder failurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
            return this;
        }

        /**
         * Sets where dead letters are kept ({@link dev.eventsource.subscription.jdbc.JdbcDeadLetterStore} for a JDBC
         * store); by default in memory ({@link MemoryDeadLetterStore}).
         *
         * @return this builder
         */
        public Builder deadLetters(DeadLetterStore deadLetters) {
            this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
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
         * Sets how many failed attempts on one event make the subscription apply its {@link #failurePolicy}.
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
         * without releasing it. The holder renews it every {@link #renewInterval} from a thread of its own, so a
         * batch may take longer than the lease; but a holder that cannot renew for a whole lease time (a pause, a
         * database outage) loses it to another instance. With a JDBC checkpoint store the database's clock times
         * it. Must be at least twice the renew interval (checked by {@link #build()}).
         *
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = positive(leaseTime, "leaseTime");
            return this;
        }

        /**
         * Sets how often the holder renews its lease. Must be at most half the lease time (checked by
         * {@link #build()}), so that one late or failed renewal does not lose the lease.
         *
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder renewInterval(Duration renewInterval) {
            this.renewInterval = positive(renewInterval, "renewInterval");
            return this;
        }

        /**
         * Sets the token naming this instance in the lease; by default the process id and a random UUID, new at
         * every start. It must be unique among live instances: two processes with one owner would both hold the
         * lease. That is why a restarted process does not simply reclaim its old lease under a fixed identity (an
         * old process that is only paused, or a second copy deployed with the same identity, would then run the
         * subscription too); it waits for the lease to run out instead, which the short lease keeps to seconds.
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

        /**
         * Builds the subscription.
         *
         * @return the subscription, not yet started
         * @throws IllegalArgumentException when the renew interval exceeds half the lease time
         */
        public Subscription build() {
            if (renewInterval.multipliedBy(2).compareTo(leaseTime) > 0) {
                throw new IllegalArgumentException("Subscription '" + name + "': renewInterval " + renewInterval
                        + " must be at most half of leaseTime " + leaseTime + ", so that one late renewal does not"
                        + " lose the lease; shorten renewInterval or lengthen leaseTime");
            }
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
