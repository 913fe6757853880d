package dev.eventsource.subscription;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Subscription}'s lease: whether its processing thread holds it, and the renewer thread that renews it
 * every renew interval. Shared by the processing thread (takes, drops and releases it) and the renewer thread.
 */
final class SubscriptionLease {

    private final Subscription subscription;

    private final Object lease = new Object();
    volatile boolean holding;
    // Guarded by lease: acquisitions so far (a late renewal result of an earlier term is ignored), when the last
    // successful acquire or renewal was sent, and why the holder must stop before its next batch (or null).
    private long leaseTerm;
    private long leaseConfirmedNanos;
    private @Nullable String leaseDoubt;

    SubscriptionLease(Subscription subscription) {
        this.subscription = subscription;
    }

    void holdLease(long sentNanos) {
        synchronized (lease) {
            leaseTerm++;
            leaseConfirmedNanos = sentNanos;
            leaseDoubt = null;
            holding = true;
        }
    }

    /** @return why the holder must not start another batch, or null while its lease is sure */
    @Nullable String leaseDoubt() {
        synchronized (lease) {
            if (leaseDoubt != null) {
                return leaseDoubt;
            }
            long unconfirmed = System.nanoTime() - leaseConfirmedNanos;
            // The database set the lease's end after this instance sent the renewal, so the lease is sure until
            // at least a lease time after sending: past that, another instance may hold it.
            return unconfirmed > subscription.leaseTime.toNanos() ? "no renewal of its lease succeeded for "
                    + TimeUnit.NANOSECONDS.toMillis(unconfirmed) + " ms (lease time "
                    + subscription.leaseTime.toMillis() + " ms)"
                    : null;
        }
    }

    /**
     * The renewer thread: renews the lease every renew interval while the processing thread holds it, whatever
     * that thread is doing, so a batch may take longer than the lease. A renewal that finds the lease lost or fails
     * makes the holder stop before its next batch.
     */
    void renewLease() {
        while (subscription.running) {
            LockSupport.parkNanos(subscription, subscription.renewInterval.toNanos());
            long term;
            synchronized (lease) {
                if (!subscription.running || !holding) {
                    continue;
                }
                term = leaseTerm;
            }
            long sent = System.nanoTime();
            @Nullable String doubt;
            try {
                doubt = subscription.checkpoints.renew(subscription.name, subscription.owner,
                        subscription.leaseTime) ? null
                        : "a renewal found its lease taken by another instance (after a pause or an outage longer"
                        + " than the lease time)";
            } catch (RuntimeException e) {
                doubt = "renewing its lease failed (" + e.getMessage() + ")";
            }
            synchronized (lease) {
                if (term != leaseTerm || !holding) {
                    continue;
                }
                if (doubt == null) {
                    leaseConfirmedNanos = sent;
                } else {
                    leaseDoubt = doubt;
                }
            }
            if (doubt != null) {
                subscription.wake();
            }
        }
    }
}
