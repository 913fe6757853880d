package dev.eventsource.sample.idgen;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTests {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00.123Z");

    @Test
    void generatesVersion7UuidsCarryingTheTime() {
        UUID id = new TimeOrderedIds(Clock.fixed(NOW, ZoneOffset.UTC)).nextUuid();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void idsIncreaseAsStringsEvenWithinOneMillisecond() {
        // 10,000 ids in one frozen millisecond overflow the 12-bit counter more than once.
        TimeOrderedIds ids = new TimeOrderedIds(Clock.fixed(NOW, ZoneOffset.UTC));
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            generated.add(ids.next());
        }
        assertThat(generated).isSorted().doesNotHaveDuplicates();
        assertThat(new HashSet<>(generated)).hasSize(10_000);
        assertThat(generated).allSatisfy((id) -> assertThat(UUID.fromString(id).toString()).isEqualTo(id));
    }

    @Test
    void neverGoesBackwardsWhenTheClockDoes() {
        MutableClock clock = new MutableClock(NOW);
        TimeOrderedIds ids = new TimeOrderedIds(clock);
        String before = ids.next();
        clock.now = NOW.minusSeconds(5);
        assertThat(ids.next()).isGreaterThan(before);
    }

    @Test
    void laterIdsSortAfterEarlierOnes() {
        MutableClock clock = new MutableClock(NOW);
        TimeOrderedIds ids = new TimeOrderedIds(clock);
        String earlier = ids.next();
        clock.now = NOW.plusMillis(1);
        String later = ids.next();
        assertThat(later).isGreaterThan(earlier);
        assertThat(UUID.fromString(later).getMostSignificantBits() >>> 16).isEqualTo(NOW.toEpochMilli() + 1);
    }

    private static final class MutableClock extends Clock {

        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return this.now;
        }
    }
}
