package dev.eventsource.sample.idgen;

import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Generates version 7 UUIDs (RFC 9562): a 48-bit Unix time in milliseconds, then a 12-bit counter, then 62 random
 * bits. Ids from one generator are strictly increasing in their string form, so they sort by creation time, and
 * B-tree indexes on them grow at one end instead of splitting pages at random.
 */
@Component
public class TimeOrderedIds {

    private static final int COUNTER_BITS = 12;

    private static final int COUNTER_MAX = (1 << COUNTER_BITS) - 1;

    private final Clock clock;

    private final SecureRandom random = new SecureRandom();

    private long lastMillis = -1;

    private int counter;

    /** Creates a generator on the system clock. */
    public TimeOrderedIds() {
        this(Clock.systemUTC());
    }

    /**
     * Creates a generator on a given clock.
     *
     * @param clock where the time comes from
     */
    public TimeOrderedIds(Clock clock) {
        this.clock = clock;
    }

    /** @return a new id, in the canonical lower-case form, greater than every id this generator returned before */
    public String next() {
        return nextUuid().toString();
    }

    /** @return a new version 7 UUID, ordered after every one this generator returned before */
    public UUID nextUuid() {
        long millis;
        int sequence;
        synchronized (this) {
            millis = Math.max(this.clock.millis(), this.lastMillis);
            if (millis == this.lastMillis) {
                if (this.counter == COUNTER_MAX) {
                    // 4096 ids in one millisecond: borrow the next millisecond rather than repeat or go backwards.
                    millis++;
                    this.counter = startingCounter();
                }
                else {
                    this.counter++;
                }
            }
            else {
                this.counter = startingCounter();
            }
            this.lastMillis = millis;
            sequence = this.counter;
        }
        long mostSignificant = (millis << 16) | (0x7L << 12) | sequence;
        long leastSignificant = (this.random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant);
    }

    /** A random start in the lower half leaves room to count up within the millisecond and hides how many came before. */
    private int startingCounter() {
        return this.random.nextInt((COUNTER_MAX + 1) / 2);
    }
}
