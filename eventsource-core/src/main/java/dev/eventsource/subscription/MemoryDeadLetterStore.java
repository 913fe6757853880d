package dev.eventsource.subscription;

import dev.eventsource.Record;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Dead letters in memory, shared by the subscriptions of one process; lost when the process ends. Thread-safe. The
 * default of {@link Subscription.Builder#deadLetters}.
 */
public final class MemoryDeadLetterStore implements DeadLetterStore {

    private final Clock clock;
    private final Map<Long, DeadLetter> letters = new TreeMap<>();
    private long lastId;

    /** Creates an empty store on the system clock. */
    public MemoryDeadLetterStore() {
        this(Clock.systemUTC());
    }

    /**
     * Creates an empty store.
     *
     * @param clock the clock that stamps each dead letter
     */
    public MemoryDeadLetterStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized long add(String subscription, Record event, String error) {
        long id = ++lastId;
        letters.put(id, new DeadLetter(id, subscription, event.position(),
                event.aggregateType() == null ? "" : event.aggregateType(), event.aggregateId(), event.version(),
                event.type(), error, clock.instant()));
        return id;
    }

    @Override
    public synchronized List<DeadLetter> list(String subscription) {
        List<DeadLetter> found = new ArrayList<>();
        for (DeadLetter letter : letters.values()) {
            if (letter.subscription().equals(subscription)) {
                found.add(letter);
            }
        }
        found.sort(Comparator.comparingLong(DeadLetter::position).thenComparingLong(DeadLetter::id));
        return List.copyOf(found);
    }

    @Override
    public synchronized Optional<DeadLetter> find(String subscription, long id) {
        DeadLetter letter = letters.get(id);
        return letter != null && letter.subscription().equals(subscription) ? Optional.of(letter) : Optional.empty();
    }

    @Override
    public synchronized long count(String subscription) {
        return letters.values().stream().filter(letter -> letter.subscription().equals(subscription)).count();
    }

    @Override
    public synchronized boolean delete(String subscription, long id) {
        DeadLetter letter = letters.get(id);
        if (letter == null || !letter.subscription().equals(subscription)) {
            return false;
        }
        letters.remove(id);
        return true;
    }

    @Override
    public synchronized int deleteAfter(String subscription, long position) {
        int before = letters.size();
        letters.values().removeIf(letter -> letter.subscription().equals(subscription) && letter.position() > position);
        return before - letters.size();
    }
}
