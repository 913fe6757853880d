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
    private final Object signal;

    SubscriptionLoop(Subscription subscription, SubscriptionLease lease) {
        this.subscription = subscription;
        this.lease = lease;
        this.name = subscription.name;
        this.store = subscription.store;
        this.serializer = subscription.serializer;
        this.handler = subscription.handler;
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
                        subscription.checkpoint = acquired.getAsLong();
                        subscription.state = State.ACTIVE;
                        LOG.log(System.Logger.Level.DEBUG, () -> "Subscription '" + name + "' (" + owner
                                + ") holds its lease, from position " + subscription.checkpoint);
                    }
                    String doubt = lease.leaseDoubt();
                    if (doubt != null) {
                        lostLease(doubt);
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
                    lease.holding = false; // re-read the checkpoint: a failed transaction may have rolled back
                    subscription.state = State.STANDBY; // it holds no lease while it waits, so it is not processing
                    sleep(delay(transientFailures));
                }
            }
        } catch (Error e) {
            subscription.failure = e;
            subscription.state = State.FAILED;
            throw e;
        } finally {
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

    private void lostLease(String why) {
        LOG.log(System.Logger.Level.WARNING, "Subscription '" + name + "' (" + owner + ") stops processing: " + why
                + "; it takes the lease again once it is free");
        lease.holding = false;
        subscription.state = State.STANDBY;
    }

    private void halt(Record failed, int attempts, Throwable cause) {
        subscription.failure = new SubscriptionFailedException(name, failed, attempts, subscription.checkpoint,
                cause);
        subscription.running = false;
        metrics.halted(name, true);
        try {
            metrics.lag(name, Math.max(0, store.lastPosition() - subscription.checkpoint));
        } catch (RuntimeException ignored) {
            // the lag is informative only; the failure below is what matters
        }
        LOG.log(System.Logger.Level.ERROR, subscription.failure.getMessage(), cause);
        subscription.state = State.FAILED;
    }

    /** What became of one batch. */
    private record Outcome(boolean leaseLost, @Nullable Record failed, @Nullable Throwable cause) {
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
        long[] handledUpTo = {subscription.checkpoint};
        int[] handled = {0};
        try {
            transaction.execute(() -> {
                for (Record record : batch) {
                    if (handler.handles(serializer.currentType(record))) {
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
            }
            return new Outcome(false, e.record, e.getCause());
        }
        subscription.checkpoint = handledUpTo[0];
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
