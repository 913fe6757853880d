package dev.eventsource.subscription;

import dev.eventsource.Backoff;
import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.StoredEvent;
import dev.eventsource.subscription.Subscription.State;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Subscription}'s processing thread: takes the lease, reads batches after the checkpoint, hands them to
 * the handler, advances the checkpoint, and retries or halts on failures. Its settings are the subscription's
 * (copied, all final); what changes (running, state, failure, checkpoint, the wake-up flag) stays in the
 * {@link Subscription}, whose public methods read and set it, and the lease in its {@link SubscriptionLease}.
 */
final class SubscriptionLoop {

    private static final System.Logger LOG = System.getLogger(Subscription.class.getName());

    private final Subscription subscription;
    private final SubscriptionLease lease;
    private final String name;
    private final Store store;
    private final @Nullable Serializer serializer;
    private final @Nullable SubscriptionHandler handler;
    private final @Nullable RecordPipeline pipeline;
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
    private final FailurePolicy failurePolicy;
    private final DeadLetterStore deadLetters;
    private final Object signal;

    /** The event to move to the dead letters when the next batch reaches it, with the error; only this thread. */
    private @Nullable Skip skip;
    private record Skip(long position, String error) {
    }

    // Pipelined only: the last position submitted to the pipeline, ahead of the checkpoint by what is in flight.
    private long submitted = -1;
    private long completedCount;
    // Pipelined only: the next batches, read on a thread of its own while the current one is submitted.
    private @Nullable StreamReader reader;
    private long lagMeasured = System.nanoTime();
    private static final long LAG_INTERVAL_NANOS = 1_000_000_000L;
    /** When the checkpoint store's state (an operator's operation, a pause) was last read; 0: read it next. */
    private long stateRead;

    SubscriptionLoop(Subscription subscription, SubscriptionLease lease) {
        this.subscription = subscription;
        this.lease = lease;
        this.name = subscription.name;
        this.store = subscription.store;
        this.serializer = subscription.serializer;
        this.handler = subscription.handler;
        this.pipeline = subscription.pipeline;
        this.checkpoints = subscription.checkpoints;
        this.startFrom = subscription.startFrom;
        this.batchSize = subscription.batchSize;
        this.pollInterval = subscription.pollInterval;
        this.maxAttempts = subscription.maxAttempts;
        this.backoff = subscription.backoff;
        this.leaseTime = subscription.leaseTime;
        this.owner = subscription.owner;
        this.metrics = subscription.metrics;
        this.transaction = subscription.transaction;
        this.failurePolicy = subscription.failurePolicy;
        this.deadLetters = subscription.deadLetters;
        this.signal = subscription.signal;
    }

    void run() {
        long failingPosition = -1;
        int attempts = 0;
        int transientFailures = 0;
        try {
            while (subscription.running) {
                try {
                    if (!lease.holding) {
                        long sent = System.nanoTime();
                        OptionalLong acquired = checkpoints.acquire(name, owner, leaseTime, this::initialPosition);
                        if (acquired.isEmpty()) {
                            subscription.state = State.STANDBY;
                            await(standbyWait());
                            continue;
                        }
                        lease.holdLease(sent);
                        stateRead = 0;
                        subscription.checkpoint = acquired.getAsLong();
                        restartPipeline(pipeline);
                        subscription.state = State.ACTIVE;
                        skip = null;
                        attempts = 0;
                        failingPosition = -1;
                        LOG.log(System.Logger.Level.DEBUG, () -> "Subscription '" + name + "' (" + owner
                                + ") holds its lease, from position " + subscription.checkpoint);
                    }
                    String doubt = lease.leaseDoubt();
                    if (doubt != null) {
                        lostLease(doubt);
                        continue;
                    }
                    // The state is read once per poll interval at most while the subscription is busy (not a
                    // query per batch): an operator's operation is executed within one poll interval, and at once
                    // when asked on this instance.
                    Optional<CheckpointState> kept = Optional.empty();
                    boolean stateDue = stateDue();
                    if (stateDue) {
                        kept = checkpoints.state(name);
                    }
                    if (kept.isPresent()) {
                        CheckpointState control = kept.get();
                        if (control.operation() != null) {
                            execute(control);
                            restartPipeline(pipeline); // a pipeline goes on from the checkpoint it now has
                            attempts = 0;
                            failingPosition = -1;
                            continue;
                        }
                        if (control.state() == SubscriptionStatus.State.PAUSED
                                || control.state() == SubscriptionStatus.State.HALTED) {
                            if (control.state() == SubscriptionStatus.State.PAUSED
                                    && subscription.state != State.PAUSED) {
                                LOG.log(System.Logger.Level.INFO, "Subscription '" + name + "' (" + owner
                                        + ") pauses at position " + control.position());
                            }
                            subscription.state = control.state() == SubscriptionStatus.State.PAUSED ? State.PAUSED
                                    : State.HALTED;
                            await(pollInterval);
                            continue;
                        }
                        if (subscription.state == State.PAUSED || subscription.state == State.HALTED) {
                            LOG.log(System.Logger.Level.INFO, "Subscription '" + name + "' (" + owner + ") goes on"
                                    + " from position " + control.position() + " after a "
                                    + (subscription.state == State.PAUSED ? "resume" : "restart"));
                            subscription.checkpoint = control.position();
                            restartPipeline(pipeline); // what was in flight when it stopped is sent again
                            subscription.state = State.ACTIVE;
                            subscription.failure = null;
                            metrics.halted(name, false);
                            attempts = 0;
                            failingPosition = -1;
                        }
                    } else if (stateDue && subscription.state == State.HALTED) {
                        // A checkpoint store that keeps no state: halted until stopped.
                        await(pollInterval);
                        continue;
                    }
                    doubt = lease.leaseDoubt(); // again: reading the state may have taken long
                    if (doubt != null) {
                        lostLease(doubt);
                        continue;
                    }
                    if (pipeline != null) {
                        // A halt leaves it HALTED in the checkpoint store: the next round waits for an operator.
                        pipelineStep(pipeline);
                        transientFailures = 0;
                        continue;
                    }
                    // Plain "after the checkpoint": positions follow commit order in every store, so nothing
                    // can commit later below what this read returns (JdbcStore: the per-table append lock).
                    List<Record> batch = store.readAll(subscription.checkpoint, batchSize);
                    if (batch.isEmpty()) {
                        metrics.lag(name, 0);
                        transientFailures = 0;
                        await(pollInterval);
                        continue;
                    }
                    Outcome outcome = process(batch);
                    transientFailures = 0;
                    if (outcome.leaseLost) {
                        lostLease("another instance took its lease, so its last batch was not checkpointed (and"
                                + " rolled back in a transaction) and is that instance's to process");
                        continue;
                    }
                    if (outcome.failed == null) {
                        attempts = 0;
                        failingPosition = -1;
                        metrics.lag(name, batch.size() < batchSize ? 0
                                : Math.max(0, store.lastPosition() - subscription.checkpoint));
                        continue;
                    }
                    metrics.failed(name);
                    Record failed = outcome.failed;
                    attempts = failed.position() == failingPosition ? attempts + 1 : 1;
                    failingPosition = failed.position();
                    if (attempts >= maxAttempts) {
                        attempts = 0;
                        failingPosition = -1;
                        if (failurePolicy == FailurePolicy.DEAD_LETTER) {
                            LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "': handler failed "
                                    + maxAttempts + " time(s) on the event at position " + failed.position()
                                    + " (type " + failed.type() + ", aggregate '" + failed.aggregateId() + "');"
                                    + " moving it to the dead letters and going on: " + outcome.cause);
                            skip = new Skip(failed.position(), DeadLetter.describe(outcome.cause));
                            continue;
                        }
                        halt(failed, maxAttempts, outcome.cause);
                        continue;
                    }
                    LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "': handler failed (attempt "
                            + attempts + " of " + maxAttempts + ") on the event at position " + failed.position()
                            + " (type " + failed.type() + ", aggregate '" + failed.aggregateId() + "'); retrying in "
                            + delay(attempts).toMillis() + " ms: " + outcome.cause, outcome.cause);
                    sleep(delay(attempts));
                } catch (RecordPipeline.Failure e) {
                    // Retriable (the broker unreachable): what was in flight is abandoned, and sent again from the
                    // checkpoint once the backoff is over, for as long as the subscription runs.
                    transientFailures++;
                    metrics.failed(name);
                    restartPipeline(pipeline);
                    LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' could not complete its records ("
                            + e.getMessage() + "); retrying from position " + subscription.checkpoint + " in "
                            + delay(transientFailures).toMillis() + " ms", e.getCause());
                    sleep(delay(transientFailures));
                } catch (RuntimeException e) {
                    // The store or the checkpoint store is unreachable: nothing was processed past the stored
                    // checkpoint, so retrying later is always safe.
                    transientFailures++;
                    LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' cannot read or checkpoint ("
                            + e.getMessage() + "); retrying in " + delay(transientFailures).toMillis() + " ms", e);
                    lease.holding = false; // re-read the checkpoint: a failed transaction may have rolled back
                    subscription.state = State.STANDBY; // it holds no lease while it waits, so it is not processing
                    sleep(delay(transientFailures));
                }
            }
        } catch (Error e) {
            subscription.failure = e;
            subscription.state = State.FAILED;
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (pipeline != null) {
                closePipeline(pipeline);
            }
            if (lease.holding) {
                try {
                    checkpoints.release(name, owner);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' could not release its lease ("
                            + e.getMessage() + "); another instance takes over when it expires");
                }
            }
            lease.holding = false;
            subscription.running = false;
            LockSupport.unpark(subscription.renewer);
            if (subscription.state != State.FAILED) {
                subscription.state = State.STOPPED;
            }
        }
    }

    /**
     * Reads the next batch after what was submitted, submits it, and checkpoints what is complete: the pipeline keeps
     * working on earlier records meanwhile. Waits for the records in flight only when the stream has nothing new. A
     * failure that cannot succeed halts it.
     */
    private void pipelineStep(RecordPipeline pipeline) throws InterruptedException {
        List<Record> batch = reader().next(submitted);
        try {
            for (Record record : batch) {
                pipeline.submit(record);
                submitted = record.position();
            }
            boolean caughtUp = batch.size() < batchSize;
            long complete = pipeline.completed(caughtUp && submitted > subscription.checkpoint ? pollInterval
                    : Duration.ZERO);
            if (complete > subscription.checkpoint) {
                if (!checkpoints.advance(name, owner, complete, leaseTime)) {
                    pipeline.reset();
                    lostLease("another instance took its lease, so the records in flight were abandoned and its"
                            + " checkpoint was not advanced");
                    return;
                }
                subscription.checkpoint = complete;
                long count = pipeline.completedCount();
                metrics.processed(name, (int) Math.min(Integer.MAX_VALUE, count - completedCount));
                completedCount = count;
            }
            if (caughtUp && submitted == subscription.checkpoint) {
                metrics.lag(name, 0);
                if (batch.isEmpty()) {
                    await(pollInterval);
                }
            } else if (!caughtUp && System.nanoTime() - lagMeasured > LAG_INTERVAL_NANOS) {
                // Once a second at most: a query of the head on every batch would slow a relay catching up.
                lagMeasured = System.nanoTime();
                metrics.lag(name, Math.max(0, store.lastPosition() - subscription.checkpoint));
            }
        } catch (RecordPipeline.Failure e) {
            if (e.retriable()) {
                throw e;
            }
            pipeline.reset();
            reader().cancel(); // halted: it reads again from the checkpoint once restarted
            if (e.completedBefore() > subscription.checkpoint
                    && checkpoints.advance(name, owner, e.completedBefore(), leaseTime)) {
                // The records before the failed one are complete for good: only the failed one is repeated.
                subscription.checkpoint = e.completedBefore();
            }
            Record failed = e.record() != null ? e.record() : batch.isEmpty() ? null : batch.get(0);
            if (failed == null) {
                throw new RecordPipeline.Failure(e.getMessage(), null, true, e);
            }
            metrics.failed(name);
            halt(failed, 1, e);
        }
    }

    private StreamReader reader() {
        if (reader == null) {
            reader = new StreamReader(store, batchSize, name);
        }
        return reader;
    }

    private void restartPipeline(@Nullable RecordPipeline pipeline) {
        if (pipeline != null) {
            pipeline.reset();
        }
        if (reader != null) {
            reader.cancel();
        }
        submitted = subscription.checkpoint;
        completedCount = 0;
    }

    /** At the end of the run: an orderly stop checkpoints what the records in flight complete within the lease. */
    private void closePipeline(RecordPipeline pipeline) {
        try {
            if (lease.holding && subscription.state != State.FAILED && submitted > subscription.checkpoint) {
                long complete = pipeline.completed(leaseTime);
                if (complete > subscription.checkpoint && checkpoints.advance(name, owner, complete, leaseTime)) {
                    subscription.checkpoint = complete;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' stops with records in flight that did"
                    + " not complete (" + e.getMessage() + "); they are sent again from position "
                    + subscription.checkpoint + " at the next start");
        } finally {
            if (reader != null) {
                reader.close();
                reader = null;
            }
            try {
                pipeline.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' could not close its pipeline: "
                        + e.getMessage(), e);
            }
        }
    }

    private void lostLease(String why) {
        LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' (" + owner + ") stops processing: " + why
                + "; it takes the lease again once it is free");
        lease.holding = false;
        subscription.state = State.STANDBY;
        if (pipeline != null) {
            pipeline.reset();
        }
        if (reader != null) {
            reader.cancel();
        }
    }

    private void halt(Record failed, int attempts, Throwable cause) {
        subscription.failure = new SubscriptionFailedException(name, failed, attempts, subscription.checkpoint,
                cause);
        if (!checkpoints.halt(name, owner, failed.position(), DeadLetter.describe(cause))) {
            lostLease("another instance took its lease while it failed on the event at position "
                    + failed.position());
            return;
        }
        metrics.halted(name, true);
        try {
            metrics.lag(name, Math.max(0, store.lastPosition() - subscription.checkpoint));
        } catch (RuntimeException ignored) {
            // the lag is informative only; the failure below is what matters
        }
        LOG.log(System.Logger.Level.ERROR, subscription.failure.getMessage() + " It waits, holding its lease, for"
                + " an operator to restart it (retry the event) or skip the event to its dead letters.", cause);
        subscription.state = State.HALTED;
    }

    /** Executes the operation an operator recorded for the lease holder. */
    private void execute(CheckpointState control) {
        String operation = Objects.requireNonNull(control.operation());
        if (operation.equals("skip")) {
            if (pipeline != null) {
                finish(operation, "it hands its records to a pipeline, which has no dead letters: restart it, or"
                        + " reset it past the event");
                return;
            }
            if (control.state() != SubscriptionStatus.State.HALTED) {
                finish(operation, "it is no longer halted");
                return;
            }
            if (!checkpoints.complete(name, owner, operation, SubscriptionStatus.State.RUNNING, -1)) {
                return; // the lease moved on; the next holder reads the operation again
            }
            skip = new Skip(control.failedPosition(), control.failure() != null ? control.failure()
                    : "skipped by an operator");
            subscription.checkpoint = control.position();
            subscription.state = State.ACTIVE;
            subscription.failure = null;
            metrics.halted(name, false);
            LOG.log(System.Logger.Level.INFO, "Subscription '" + name + "' (" + owner + ") skips the event at"
                    + " position " + control.failedPosition() + " to its dead letters and goes on");
        } else if (operation.startsWith("reset:")) {
            long position = Long.parseLong(operation.substring("reset:".length()));
            try {
                transaction.execute(() -> {
                    try {
                        if (handler != null) { // a pipeline has no read model to reset
                            handler.reset(position);
                        }
                    } catch (Exception e) {
                        throw new HandlerFailure(null, e);
                    }
                    deadLetters.deleteAfter(name, position);
                    if (!checkpoints.complete(name, owner, operation, SubscriptionStatus.State.RUNNING, position)) {
                        throw new LeaseLost();
                    }
                });
            } catch (LeaseLost lost) {
                lostLease("another instance took its lease while it reset it");
                return;
            } catch (HandlerFailure e) {
                LOG.log(System.Logger.Level.ERROR, "Subscription '" + name + "': the reset to position " + position
                        + " failed in its reset hook, so nothing changed: " + e.getCause(), e.getCause());
                finish(operation, null);
                return;
            }
            subscription.checkpoint = position;
            subscription.state = State.ACTIVE;
            subscription.failure = null;
            skip = null;
            metrics.halted(name, false);
            LOG.log(System.Logger.Level.INFO, "Subscription '" + name + "' (" + owner + ") was reset to position "
                    + position + " and handles every later event again");
        } else if (operation.startsWith("replay:")) {
            long id = Long.parseLong(operation.substring("replay:".length()));
            Optional<DeadLetter> letter = deadLetters.find(name, id);
            if (letter.isEmpty()) {
                finish(operation, "it has no dead letter " + id);
                return;
            }
            long position = letter.get().position();
            Record record = Subscription.recordAt(store, position);
            if (record == null) {
                finish(operation, "the event of dead letter " + id + " at position " + position
                        + " is no longer in the store");
                return;
            }
            try {
                transaction.execute(() -> {
                    try {
                        if (handler.handles(serializer.currentType(record))) {
                            handler.handle(new StoredEvent(serializer.unmarshal(record), record.metadata(),
                                    record.position()));
                        }
                    } catch (Exception e) {
                        throw new HandlerFailure(record, e);
                    }
                    deadLetters.delete(name, id);
                    if (!checkpoints.complete(name, owner, operation, null, -1)) {
                        throw new LeaseLost();
                    }
                });
            } catch (LeaseLost lost) {
                lostLease("another instance took its lease while it replayed a dead letter");
                return;
            } catch (HandlerFailure e) {
                LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "': replaying dead letter " + id
                        + " (position " + position + ") failed again, so it stays: " + e.getCause(), e.getCause());
                finish(operation, null);
                return;
            }
            LOG.log(System.Logger.Level.INFO, "Subscription '" + name + "' (" + owner + ") replayed dead letter "
                    + id + " (position " + position + ") and deleted it");
        } else {
            finish(operation, "it is not an operation this version knows");
        }
    }

    /** Clears an operation that was not executed, logging why (when given). */
    private void finish(String operation, @Nullable String why) {
        if (why != null) {
            LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' drops the operation '" + operation
                    + "': " + why);
        }
        checkpoints.complete(name, owner, operation, null, -1);
    }

    /** What became of one batch. */
    private record Outcome(boolean leaseLost, @Nullable Record failed, @Nullable Throwable cause) {
    }

    /** A handler failure on one record, carried out of the batch transaction to roll it back. */
    private static final class HandlerFailure extends RuntimeException {
        private final transient @Nullable Record record;

        HandlerFailure(@Nullable Record record, Throwable cause) {
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
        long[] handledUpTo = {subscription.checkpoint};
        int[] handled = {0};
        Skip skipping = skip;
        boolean[] skipped = {false};
        try {
            transaction.execute(() -> {
                skipped[0] = false;
                for (Record record : batch) {
                    if (skipping != null && record.position() == skipping.position()) {
                        deadLetters.add(name, record, skipping.error());
                        skipped[0] = true;
                    } else if (handler.handles(serializer.currentType(record))) {
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
            if (transaction == BatchTransaction.NONE && handledUpTo[0] > subscription.checkpoint) {
                // Without a transaction the events before the failing one are handled for good: checkpoint them so
                // only the failing event is retried.
                if (!checkpoints.advance(name, owner, handledUpTo[0], leaseTime)) {
                    return new Outcome(true, null, null);
                }
                subscription.checkpoint = handledUpTo[0];
                metrics.processed(name, handled[0]);
                if (skipped[0]) {
                    // The dead letter was recorded (no transaction to roll it back) and is now behind the checkpoint.
                    skip = null;
                    metrics.deadLettered(name);
                }
            }
            return new Outcome(false, Objects.requireNonNull(e.record), e.getCause());
        }
        subscription.checkpoint = handledUpTo[0];
        metrics.processed(name, batch.size());
        if (skipping != null && handledUpTo[0] >= skipping.position()) {
            skip = null;
            if (skipped[0]) {
                metrics.deadLettered(name);
                LOG.log(System.Logger.Level.INFO, "Subscription '" + name + "' moved the event at position "
                        + skipping.position() + " to its dead letters");
            }
        }
        return new Outcome(false, null, null);
    }

    /**
     * Whether to read the checkpoint store's state now: when an operation was asked on this instance, when the
     * subscription is not active (paused or halted: it waits a poll interval between reads anyway), and otherwise
     * once per poll interval.
     */
    private boolean stateDue() {
        long now = System.nanoTime();
        if (subscription.operationAsked || subscription.state != State.ACTIVE || stateRead == 0
                || now - stateRead >= pollInterval.toNanos()) {
            subscription.operationAsked = false;
            stateRead = now == 0 ? 1 : now;
            return true;
        }
        return false;
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
                while (!subscription.woken && subscription.running) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                subscription.running = false;
            }
            subscription.woken = false;
        }
    }

    private void sleep(Duration timeout) {
        // A wake-up must not cut a backoff short, but stop() must.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (subscription.running && System.nanoTime() < deadline) {
            await(Duration.ofNanos(deadline - System.nanoTime()));
        }
    }
}
