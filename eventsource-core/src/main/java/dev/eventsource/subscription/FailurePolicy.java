package dev.eventsource.subscription;

import java.util.Locale;

/**
 * What a {@link Subscription} does once its handler failed on an event {@link Subscription.Builder#maxAttempts} times
 * in a row.
 */
public enum FailurePolicy {

    /**
     * Stops at the event and waits for an operator ({@link SubscriptionStatus.State#HALTED}): the checkpoint stays
     * before it, the instance keeps its thread and lease, and {@link Subscription#restart()} retries the event (after
     * a fix) or {@link Subscription#skip()} moves it to the dead letters. The default: no event is passed over
     * unless someone decides so.
     */
    HALT,

    /**
     * Records the event's coordinates and the error in the {@link DeadLetterStore} and goes on with the next event;
     * {@link Subscription#replay(long)} applies it later, after a fix.
     */
    DEAD_LETTER;

    /** @return the name used in configuration and by the Actuator endpoint: {@code halt} or {@code dead-letter} */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Reads a policy from its configuration name.
     *
     * @param value {@code halt} or {@code dead-letter} (case and {@code -}/{@code _} do not matter)
     * @return the policy
     * @throws IllegalArgumentException naming the accepted values when the value is none of them
     */
    public static FailurePolicy of(String value) {
        String normalized = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (FailurePolicy policy : values()) {
            if (policy.name().equals(normalized)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("Unknown failure policy '" + value + "': use 'halt' or 'dead-letter'");
    }
}
