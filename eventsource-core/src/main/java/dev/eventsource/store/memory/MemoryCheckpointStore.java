package dev.eventsource.store.memory;

import dev.eventsource.subscription.CheckpointStore;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Checkpoints and leases of subscriptions in memory, shared by the subscriptions of one process; lost when the
 * process ends (a restarted subscription then starts over). Thread-safe.
 */
public final class MemoryCheckpointStore implements CheckpointStore {

    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        long position;
        @Nullable String owner;
        long leaseUntil;

        Entry(long position) {
            this.position = position;
        }
    }

    /** Creates an empty store on the system clock. */
    public MemoryCheckpointStore() {
        this(Clock.systemUTC());
    }

    /**
     * Creates an empty store on a clock, which decides when leases expire.
     *
     * @param clock the clock
     */
    public MemoryCheckpointStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized OptionalLong acquire(String subscription, String owner, Duration leaseTime,
                                             LongSupplier initialPosition) {
        long now = clock.millis();
        Entry entry = entries.get(subscription);
        if (entry == null) {
            entry = new Entry(initialPosition.getAsLong());
            entries.put(subscription, entry);
        } else if (entry.owner != null && !entry.owner.equals(owner) && entry.leaseUntil >= now) {
            return OptionalLong.empty();
        }
        entry.owner = owner;
        entry.leaseUntil = now + leaseTime.toMillis();
        return OptionalLong.of(entry.position);
    }

    @Override
    public synchronized boolean advance(String subscription, String owner, long position, Duration leaseTime) {
        Entry entry = held(subscription, owner);
        if (entry == null) {
            return false;
        }
        entry.position = position;
        entry.leaseUntil = clock.millis() + leaseTime.toMillis();
        return true;
    }

    @Override
    public synchronized boolean renew(String subscription, String owner, Duration leaseTime) {
        Entry entry = held(subscription, owner);
        if (entry == null) {
            return false;
        }
        entry.leaseUntil = clock.millis() + leaseTime.toMillis();
        return true;
    }

    @Override
    public synchronized void release(String subscription, String owner) {
        Entry entry = held(subscription, owner);
        if (entry != null) {
            entry.owner = null;
            entry.leaseUntil = 0;
        }
    }

    @Override
    public synchronized OptionalLong position(String subscription) {
        Entry entry = entries.get(subscription);
        return entry == null ? OptionalLong.empty() : OptionalLong.of(entry.position);
    }

    private @Nullable Entry held(String subscription, String owner) {
        Entry entry = entries.get(subscription);
        return entry != null && owner.equals(entry.owner) ? entry : null;
    }
}
