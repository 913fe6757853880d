package dev.eventsource;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private static final Duration MS = Duration.ofMillis(1);

    @Test
    void doublesFromTheFirstPauseUpToTheLargest() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.delay(8)).isEqualTo(Duration.ofMillis(25_600));
        assertThat(backoff.delay(9)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(64)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aPauseEqualToTheLargestStaysThere() {
        Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(1));

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(40)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterDrawsBetweenItsShareBelowThePauseAndThePause() {
        Backoff half = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(0.5);

        assertThat(half.delay(2, 0)).isEqualTo(Duration.ofMillis(200));
        assertThat(half.delay(2, 0.5)).isEqualTo(Duration.ofMillis(150));
        assertThat(half.delay(2, Math.nextDown(1.0))).isBetween(Duration.ofMillis(100), Duration.ofMillis(101));

        Backoff full = half.withJitter(1);
        assertThat(full.delay(5, Math.nextDown(1.0))).isLessThan(Duration.ofNanos(2));
        assertThat(full.delay(5, 0.25)).isEqualTo(Duration.ofMillis(750));
        assertThat(full.delay(5, 0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void randomPausesStayWithinTheJittersRange() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(80)).withJitter(0.25);

        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(30), Duration.ofMillis(40));
            assertThat(backoff.delay(20)).isBetween(Duration.ofMillis(60), Duration.ofMillis(80));
        }
    }

    @Test
    void withoutJitterEveryPauseIsExact() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(80));

        for (int i = 0; i < 100; i++) {
            assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(20));
        }
    }

    @Test
    void stopsAfterTheMaximumNumberOfTries() {
        Backoff backoff = Backoff.exponential(MS, Duration.ofMillis(8)).withMaxAttempts(3);

        assertThat(backoff.next(1, Duration.ZERO, 0.0)).isEqualTo(MS);
        assertThat(backoff.next(2, Duration.ZERO, 0.0)).isEqualTo(Duration.ofMillis(2));
        assertThat(backoff.next(3, Duration.ZERO, 0.0)).isNull();
        assertThat(backoff.withMaxAttempts(1).next(1, Duration.ZERO, 0.0)).isNull();
    }

    @Test
    void withoutLimitsItNeverStops() {
        Backoff backoff = Backoff.exponential(MS, Duration.ofMillis(8));

        assertThat(backoff.next(Integer.MAX_VALUE, Duration.ofDays(365), 0.0)).isEqualTo(Duration.ofMillis(8));
    }

    @Test
    void theTimeBudgetShortensTheLastPauseAndThenStops() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withTimeBudget(Duration.ofSeconds(2));

        assertThat(backoff.next(4, Duration.ofMillis(500), 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.next(4, Duration.ofMillis(1500), 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.next(4, Duration.ofSeconds(2), 0.0)).isNull();
        assertThat(backoff.next(1, Duration.ofSeconds(3), 0.0)).isNull();
    }

    @Test
    void whicheverLimitComesFirstStops() {
        Backoff backoff = Backoff.exponential(MS, MS).withMaxAttempts(5).withTimeBudget(Duration.ofSeconds(1));

        assertThat(backoff.next(5, Duration.ZERO, 0.0)).isNull();
        assertThat(backoff.next(2, Duration.ofSeconds(1), 0.0)).isNull();
        assertThat(backoff.next(2, Duration.ofMillis(10), 0.0)).isEqualTo(MS);
    }

    @Test
    void aCallerThatRetriesOnceAtOnceStartsThePausesLater() {
        Backoff backoff = Backoff.exponential(MS, Duration.ofMillis(8)).withMaxAttempts(4);

        assertThat(backoff.nextPausing(1, Duration.ZERO, 0)).isEqualTo(Duration.ZERO);
        assertThat(backoff.nextPausing(2, Duration.ZERO, 1)).isEqualTo(MS);
        assertThat(backoff.nextPausing(3, Duration.ZERO, 2)).isEqualTo(Duration.ofMillis(2));
        assertThat(backoff.nextPausing(4, Duration.ZERO, 3)).isNull();
    }

    @Test
    void isImmutable() {
        Backoff original = Backoff.exponential(MS, Duration.ofMillis(8));

        Backoff changed = original.withJitter(0.5).withMaxAttempts(3).withTimeBudget(Duration.ofSeconds(1));

        assertThat(original.jitter()).isZero();
        assertThat(original.maxAttempts()).isZero();
        assertThat(original.timeBudget()).isNull();
        assertThat(changed).isNotEqualTo(original)
                .isEqualTo(Backoff.exponential(MS, Duration.ofMillis(8)).withJitter(0.5).withMaxAttempts(3)
                        .withTimeBudget(Duration.ofSeconds(1)));
        assertThat(changed.withTimeBudget(null).timeBudget()).isNull();
        assertThat(changed.toString()).contains("PT0.001S", "PT0.008S", "0.5", "3 attempts", "budget PT1S");
    }

    @Test
    void refusesInvalidSettingsNamingTheParameterAndTheValue() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, MS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Backoff first must be positive, got PT0S");
        assertThatThrownBy(() -> Backoff.exponential(null, MS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Backoff first must be positive, got null");
        assertThatThrownBy(() -> Backoff.exponential(MS, Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Backoff max must be positive, got PT-0.005S");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Backoff max must be at least first (PT2S), got PT1S");
        Backoff backoff = Backoff.exponential(MS, MS);
        assertThatThrownBy(() -> backoff.withJitter(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Backoff jitter must be from 0 to 1, got 1.5");
        assertThatThrownBy(() -> backoff.withJitter(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Backoff jitter must be from 0 to 1, got NaN");
        assertThatThrownBy(() -> backoff.withMaxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Backoff maxAttempts must be at least 1, got 0");
        assertThatThrownBy(() -> backoff.withTimeBudget(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Backoff timeBudget must be positive, got PT0S");
        assertThatThrownBy(() -> backoff.delay(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Backoff retry must be at least 1, got 0");
        assertThatThrownBy(() -> backoff.delay(1, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Backoff random must be from 0 to below 1, got 1.0");
    }
}
