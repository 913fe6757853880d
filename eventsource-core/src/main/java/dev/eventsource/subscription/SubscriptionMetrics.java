package dev.eventsource.subscription;

/**
 * Receives what subscriptions do, for monitoring; {@link dev.eventsource.micrometer.MicrometerSubscriptionMetrics}
 * reports it to Micrometer. Called from the subscription's thread; implementations must be quick and thread-safe.
 */
public interface SubscriptionMetrics {

    /** Records nothing. */
    SubscriptionMetrics NONE = new SubscriptionMetrics() {
    };

    /** Called after a batch was handled and its checkpoint stored. */
    default void processed(String subscription, int events) {
    }

    /** Called each time the handler fails on an event (each failed attempt). */
    default void failed(String subscription) {
    }

    /**
     * Called with how far the subscription is behind the head of the stream, in positions (an upper bound of the
     * events: rolled-back appends leave unused positions).
     */
    default void lag(String subscription, long positions) {
    }

    /** Called when the subscription starts ({@code false}) and when it stops on a failing handler ({@code true}). */
    default void halted(String subscription, boolean halted) {
    }

    /** Called after an event was moved to the dead letters (its batch committed). */
    default void deadLettered(String subscription) {
    }
}
