package dev.eventsource;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait between the tries of something that failed for a passing reason, and when to stop: an
 * exponential backoff with jitter. The pause before retry {@code n} (the {@code n}-th try after the first) is
 * {@code first * 2^(n-1)}, at most {@code max}; with jitter {@code j} it is drawn uniformly from
 * {@code [pause * (1 - j), pause]}, so that competitors that failed together do not come back together. Tries stop
 * at the limits set: a number of tries (the first one included) and a time budget counted from the start of the
 * first try. Immutable; the {@code with...} methods return a copy.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofMillis(2), Duration.ofMillis(100))
 *         .withJitter(1.0)
 *         .withMaxAttempts(50)
 *         .withTimeBudget(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Used by the {@link Repository} between the retries of a command after a {@link ConcurrencyConflictException},
 * by subscriptions between the attempts of a failing handler, and by the JDBC store's listener between
 * reconnections.
 */
public final class Backoff {

    /** Beyond this exponent the pause is at its maximum anyway, for any first pause of a nanosecond or more. */
    private static final int MAX_DOUBLINGS = 62;

    private final Duration first;
    private final Duration max;
    private final double jitter;
    private final int maxAttempts;
    private final @Nullable Duration timeBudget;

    private Backoff(Duration first, Duration max, double jitter, int maxAttempts, @Nullable Duration timeBudget) {
        this.first = first;
        this.max = max;
        this.jitter = jitter;
        this.maxAttempts = maxAttempts;
        this.timeBudget = timeBudget;
    }

    /**
     * Starts a backoff that doubles from a first pause up to a largest pause, without jitter and without limits.
     *
     * @param first the pause before the first retry; positive
     * @param max the largest pause; at least {@code first}
     * @return the backoff
     * @throws IllegalArgumentException when a pause is null, not positive, or {@code max} is below {@code first}
     */
    public static Backoff exponential(Duration first, Duration max) {
        positive(first, "first");
        positive(max, "max");
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("Backoff max must be at least first (" + first + "), got " + max);
        }
        return new Backoff(first, max, 0, 0, null);
    }

    /**
     * Returns a copy whose pauses are drawn from {@code [pause * (1 - jitter), pause]}.
     *
     * @param jitter from 0 (every pause exact) to 1 (anything from zero to the pause, "full jitter")
     * @return the copy
     * @throws IllegalArgumentException when outside {@code [0, 1]}
     */
    public Backoff withJitter(double jitter) {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("Backoff jitter must be from 0 to 1, got " + jitter);
        }
        return new Backoff(first, max, jitter, maxAttempts, timeBudget);
    }

    /**
     * Returns a copy that stops after a number of tries, the first one included.
     *
     * @param maxAttempts at least 1 (1: no retry at all)
     * @return the copy
     * @throws IllegalArgumentException when below 1
     */
    public Backoff withMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("Backoff maxAttempts must be at least 1, got " + maxAttempts);
        }
        return new Backoff(first, max, jitter, maxAttempts, timeBudget);
    }

    /**
     * Returns a copy that starts no retry once this much time has passed since the first try began; the pause
     * before the last retry is shortened to end within the budget.
     *
     * @param timeBudget positive, or null for no time limit
     * @return the copy
     * @throws IllegalArgumentException when zero or negative
     */
    public Backoff withTimeBudget(@Nullable Duration timeBudget) {
        return new Backoff(first, max, jitter, maxAttempts,
                timeBudget == null ? null : positive(timeBudget, "timeBudget"));
    }

    /** @return the pause before the first retry */
    public Duration first() {
        return first;
    }

    /** @return the largest pause */
    public Duration max() {
        return max;
    }

    /** @return the jitter, from 0 to 1 */
    public double jitter() {
        return jitter;
    }

    /** @return the most tries, the first one included; 0 when the number of tries is not limited */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the time after the start of the first try when no retry starts any more, or null for none */
    public @Nullable Duration timeBudget() {
        return timeBudget;
    }

    /**
     * Returns the pause before a retry, with a random jitter.
     *
     * @param retry 1 for the first retry (the second try), 2 for the next, ...
     * @return the pause, between {@code (1 - jitter)} times and exactly the exponential pause
     * @throws IllegalArgumentException when {@code retry} is below 1
     */
    public Duration delay(int retry) {
        return delay(retry, jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Returns the pause before a retry for a given draw of the jitter.
     *
     * @param retry 1 for the first retry, 2 for the next, ...
     * @param random the draw, from 0 (the full pause) to below 1 (the shortest pause the jitter allows)
     * @return the pause
     * @throws IllegalArgumentException when {@code retry} is below 1 or {@code random} outside {@code [0, 1)}
     */
    public Duration delay(int retry, double random) {
        if (retry < 1) {
            throw new IllegalArgumentException("Backoff retry must be at least 1, got " + retry);
        }
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("Backoff random must be from 0 to below 1, got " + random);
        }
        int doublings = Math.min(MAX_DOUBLINGS, retry - 1);
        long firstNanos = first.toNanos();
        long maxNanos = max.toNanos();
        long pause = firstNanos > (maxNanos >> doublings) ? maxNanos : Math.min(maxNanos, firstNanos << doublings);
        return Duration.ofNanos(pause - (long) (pause * jitter * random));
    }

    /**
     * Decides whether another try may follow, and after which pause.
     *
     * @param tries the tries made so far, at least 1
     * @param elapsed the time since the first try began
     * @return the pause before the next try, or null when a limit is reached
     */
    public @Nullable Duration next(int tries, Duration elapsed) {
        return next(tries, elapsed, jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Decides whether another try may follow, and after which pause, for a given draw of the jitter.
     *
     * @param tries the tries made so far, at least 1
     * @param elapsed the time since the first try began
     * @param random the jitter's draw, as for {@link #delay(int, double)}
     * @return the pause before the next try, or null when a limit is reached
     */
    public @Nullable Duration next(int tries, Duration elapsed, double random) {
        return next(tries, elapsed, tries, random);
    }

    /**
     * As {@link #next(int, Duration)}, but pausing as before retry {@code pauseOf} (0: no pause), for a caller
     * that makes some retries at once and starts its pauses later.
     */
    @Nullable Duration nextPausing(int tries, Duration elapsed, int pauseOf) {
        return next(tries, elapsed, pauseOf, jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble());
    }

    private @Nullable Duration next(int tries, Duration elapsed, int pauseOf, double random) {
        Objects.requireNonNull(elapsed, "elapsed");
        if (maxAttempts > 0 && tries >= maxAttempts) {
            return null;
        }
        Duration pause = pauseOf < 1 ? Duration.ZERO : delay(pauseOf, random);
        if (timeBudget == null) {
            return pause;
        }
        Duration left = timeBudget.minus(elapsed);
        if (left.isNegative() || left.isZero()) {
            return null;
        }
        return pause.compareTo(left) <= 0 ? pause : left;
    }

    private static Duration positive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("Backoff " + name + " must be positive, got " + duration);
        }
        return duration;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Backoff that && first.equals(that.first) && max.equals(that.max)
                && Double.compare(jitter, that.jitter) == 0 && maxAttempts == that.maxAttempts
                && Objects.equals(timeBudget, that.timeBudget);
    }

    @Override
    public int hashCode() {
        return Objects.hash(first, max, jitter, maxAttempts, timeBudget);
    }

    @Override
    public String toString() {
        return "Backoff[first " + first + ", max " + max + ", jitter " + jitter
                + (maxAttempts > 0 ? ", " + maxAttempts + " attempts" : "")
                + (timeBudget != null ? ", budget " + timeBudget : "") + "]";
    }
}
