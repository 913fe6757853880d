package dev.eventsource.subscription;

import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The lease settings of the subscription builder: short defaults, and combinations that would lose the lease. */
class SubscriptionLeaseSettingsTest {

    private final Subscription.Builder builder = Subscription.builder("people", new MemoryStore(),
            JacksonSerializer.json(), event -> { });

    @Test
    void defaultsToAFiveSecondLeaseRenewedEverySecond() {
        Subscription subscription = builder.build();
        assertThat(subscription.leaseTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(subscription.renewInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void acceptsARenewIntervalOfHalfTheLease() {
        Subscription subscription = builder.leaseTime(Duration.ofSeconds(2)).renewInterval(Duration.ofSeconds(1))
                .build();
        assertThat(subscription.leaseTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(subscription.renewInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void refusesARenewIntervalOverHalfTheLeaseWhateverTheOrderOfTheSettings() {
        assertThatIllegalArgumentException().isThrownBy(() -> builder.leaseTime(Duration.ofSeconds(1)).build())
                .withMessage("Subscription 'people': renewInterval PT1S must be at most half of leaseTime PT1S, so"
                        + " that one late renewal does not lose the lease; shorten renewInterval or lengthen"
                        + " leaseTime");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.renewInterval(Duration.ofSeconds(3))
                .leaseTime(Duration.ofSeconds(5)).build()).withMessageContaining("renewInterval PT3S");
    }

    @Test
    void refusesDurationsThatAreNotPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> builder.renewInterval(Duration.ZERO))
                .withMessage("Subscription 'people': renewInterval must be positive, got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.leaseTime(Duration.ofSeconds(-1)))
                .withMessage("Subscription 'people': leaseTime must be positive, got PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.renewInterval(null))
                .withMessage("Subscription 'people': renewInterval must be positive, got null");
    }
}
