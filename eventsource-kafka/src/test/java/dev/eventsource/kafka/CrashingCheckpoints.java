package dev.eventsource.kafka;

import dev.eventsource.subscription.CheckpointStore;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * A checkpoint store that, once {@link #crashAtNextCheckpoint()} was called, kills the relay's thread at its next
 * checkpoint (after its sends were acknowledged, before the checkpoint is written) and from then on neither writes,
 * renews nor releases anything: what a process killed at that moment leaves behind.
 */
final class CrashingCheckpoints implements CheckpointStore {

    /** The process's death, as the relay's thread sees it. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated crash between the sends and their checkpoint", null, false, false);
        }
    }

    private final CheckpointStore delegate;
    private volatile boolean crashArmed;
    private volatile boolean dead;

    CrashingCheckpoints(CheckpointStore delegate) {
        this.delegate = delegate;
    }

    void crashAtNextCheckpoint() {
        crashArmed = true;
    }

    boolean dead() {
        return dead;
    }

    @Override
    public OptionalLong acquire(String subscription, String owner, Duration leaseTime, LongSupplier initialPosition) {
        return dead ? OptionalLong.empty() : delegate.acquire(subscription, owner, leaseTime, initialPosition);
    }

    @Override
    public boolean advance(String subscription, String owner, long position, Duration leaseTime) {
        if (crashArmed || dead) {
            dead = true;
            throw new SimulatedCrash();
        }
        return delegate.advance(subscription, owner, position, leaseTime);
    }

    @Override
    public boolean renew(String subscription, String owner, Duration leaseTime) {
        if (dead) {
            throw new IllegalStateException("dead");
        }
        return delegate.renew(subscription, owner, leaseTime);
    }

    @Override
    public void release(String subscription, String owner) {
        if (!dead) {
            delegate.release(subscription, owner);
        }
    }

    @Override
    public OptionalLong position(String subscription) {
        return delegate.position(subscription);
    }
}
