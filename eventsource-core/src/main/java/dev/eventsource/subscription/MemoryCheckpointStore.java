package dev.eventsource.subscription;

import dev.eventsource.subscription.SubscriptionStatus.State;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Checkpoints and leases of subscriptions in memory, shared by the subscriptions of one process; lost when the
 * process ends (a restarted subscription then starts over). Thread-safe. The default of
 * {@link Subscription.Builder#checkpoints}.
 */
public final class MemoryCheckpointStore implements CheckpointStore {

    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        long position;
        @Nullable String owner;
        long leaseUntil;
        State state = State.RUNNING;
        @Nullable String operation;
        long failedPosition;
        @Nullable String failure;
        @Nullable Instant failedAt;

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
        if (entry.state == State.HALTED && !owner.equals(entry.owner)) {
            // A new holder (a restart after a fix, a takeover) retries the event instead of waiting.
            entry.state = State.RUNNING;
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

    @Override
    public synchronized Optional<CheckpointState> state(String subscription) {
        Entry entry = entries.get(subscription);
        if (entry == null) {
            return Optional.empty();
        }
        boolean leased = entry.owner != null;
        return Optional.of(new CheckpointState(entry.position, entry.owner,
                leased ? Instant.ofEpochMilli(entry.leaseUntil) : null, entry.state, entry.operation,
                entry.failedPosition, entry.failure, entry.failedAt));
    }

    @Override
    public synchronized boolean request(String subscription, Set<State> from, @Nullable State to,
                                        @Nullable String operation) {
        Entry entry = entries.get(subscription);
        if (entry == null || !from.contains(entry.state) || (operation != null && entry.operation != null)) {
            return false;
        }
        if (to != null) {
            entry.state = to;
        }
        if (operation != null) {
            entry.operation = operation;
        }
        return true;
    }

    @Override
    public synchronized boolean complete(String subscription, String owner, String operation, @Nullable State state,
                                         long position) {
        Entry entry = held(subscription, owner);
        if (entry == null || !operation.equals(entry.operation)) {
            return false;
        }
        entry.operation = null;
        if (state != null) {
            entry.state = state;
        }
        if (position >= 0) {
            entry.position = position;
        }
        return true;
    }

    @Override
    public synchronized boolean halt(String subscription, String owner, long position, String error) {
        Entry entry = held(subscription, owner);
        if (entry == null) {
            return false;
        }
        entry.state = State.HALTED;
        entry.failedPosition = position;
        entry.failure = error;
        entry.failedAt = clock.instant();
        return true;
    }

    private @Nullable Entry held(String subscription, String owner) {
        Entry entry = entries.get(subscription);
        return entry != null && owner.equals(entry.owner) ? entry : null;
    }
}
