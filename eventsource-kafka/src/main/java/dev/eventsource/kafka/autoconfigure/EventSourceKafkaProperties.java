package dev.eventsource.kafka.autoconfigure;

import dev.eventsource.kafka.KafkaRelay;
import dev.eventsource.subscription.StartFrom;
import dev.eventsource.subscription.Subscription;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Publishing the event stream to Kafka. The connection is Spring Boot's: {@code spring.kafka.*}.
 */
@ConfigurationProperties("eventsource.kafka")
public class EventSourceKafkaProperties {

    /** Whether to publish every committed event to Kafka. */
    private boolean enabled;

    /**
     * Topic the events are sent to, or a pattern containing {aggregateType}, replaced by each event's aggregate type.
     */
    private String topic = "eventsource-events";

    /** CloudEvents source of the messages; by default spring.application.name, else "eventsource". */
    private @Nullable String source;

    /** Name of the relay's subscription, which keys its checkpoint and lease. */
    private String name = KafkaRelay.DEFAULT_NAME;

    /** Records sent and not yet acknowledged at most; with the batch size, the most a crash sends twice. */
    private int window = KafkaRelay.DEFAULT_WINDOW;

    /** Events read from the store at a time, and checkpointed at a time. */
    private int batchSize = KafkaRelay.DEFAULT_BATCH_SIZE;

    /** How often an idle relay reads the store unless woken by an append. */
    private Duration pollInterval = Subscription.Builder.DEFAULT_POLL_INTERVAL;

    /** Where a relay without a checkpoint starts: the beginning of the stream, or its end. */
    private StartFrom startFrom = Subscription.Builder.DEFAULT_START_FROM;

    /** Wait after the first failed attempt to reach the broker, doubled after each further one. */
    private Duration backoff = Subscription.Builder.DEFAULT_BACKOFF;

    /** Longest wait between attempts to reach the broker. */
    private Duration maxBackoff = Subscription.Builder.DEFAULT_MAX_BACKOFF;

    /** How long the relay's lease lasts without renewal: about how long a crashed instance holds up the others. */
    private Duration leaseTime = Subscription.Builder.DEFAULT_LEASE_TIME;

    /** How often the active relay renews its lease. */
    private Duration renewInterval = Subscription.Builder.DEFAULT_RENEW_INTERVAL;

    /** How long the broker may leave sent events unacknowledged before the health indicator reports DOWN. */
    private Duration unreachableThreshold = Duration.ofSeconds(60);

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getTopic() {
        return this.topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public @Nullable String getSource() {
        return this.source;
    }

    public void setSource(@Nullable String source) {
        this.source = source;
    }

    public String getName() {
        return this.name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int getWindow() {
        return this.window;
    }

    public void setWindow(int window) {
        this.window = window;
    }

    public int getBatchSize() {
        return this.batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getPollInterval() {
        return this.pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public StartFrom getStartFrom() {
        return this.startFrom;
    }

    public void setStartFrom(StartFrom startFrom) {
        this.startFrom = startFrom;
    }

    public Duration getBackoff() {
        return this.backoff;
    }

    public void setBackoff(Duration backoff) {
        this.backoff = backoff;
    }

    public Duration getMaxBackoff() {
        return this.maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    public Duration getLeaseTime() {
        return this.leaseTime;
    }

    public void setLeaseTime(Duration leaseTime) {
        this.leaseTime = leaseTime;
    }

    public Duration getRenewInterval() {
        return this.renewInterval;
    }

    public void setRenewInterval(Duration renewInterval) {
        this.renewInterval = renewInterval;
    }

    public Duration getUnreachableThreshold() {
        return this.unreachableThreshold;
    }

    public void setUnreachableThreshold(Duration unreachableThreshold) {
        this.unreachableThreshold = unreachableThreshold;
    }
}
