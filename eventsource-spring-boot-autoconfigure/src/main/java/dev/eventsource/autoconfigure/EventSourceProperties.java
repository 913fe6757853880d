package dev.eventsource.autoconfigure;

import dev.eventsource.Backoff;
import dev.eventsource.store.jdbc.JdbcDialect;
import dev.eventsource.store.jdbc.JdbcSchemaScripts;
import dev.eventsource.store.jdbc.JdbcStore;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

import dev.eventsource.subscription.FailurePolicy;
import dev.eventsource.subscription.StartFrom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration properties of eventsource, under {@code eventsource.*}.
 */
@ConfigurationProperties("eventsource")
public class EventSourceProperties {

    private final Store store = new Store();

    private final Jdbc jdbc = new Jdbc();

    private final Serializer serializer = new Serializer();

    private final Scan scan = new Scan();

    private final Repository repository = new Repository();

    private final Metrics metrics = new Metrics();

    private final Snapshots snapshots = new Snapshots();

    /**
     * Settings of each subscription (each non-inline projection), by its name: enabled (true), poll-interval (1s),
     * batch-size (100), start-from (beginning or end), max-attempts (5), failure-policy (halt or dead-letter),
     * backoff (200ms), max-backoff (30s),
     * lease-time (5s) and renew-interval (1s), for example eventsource.subscriptions.people.poll-interval=500ms.
     */
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

    /** @return the settings of subscriptions by name */
    public Map<String, Subscription> getSubscriptions() {
        return this.subscriptions;
    }

    /**
     * Returns the settings of one subscription.
     *
     * @param name the subscription's name
     * @return its settings, the defaults when none are configured
     */
    public Subscription subscription(String name) {
        return this.subscriptions.getOrDefault(name, new Subscription());
    }

    /** @return the store settings */
    public Store getStore() {
        return this.store;
    }

    /** @return the JDBC store settings */
    public Jdbc getJdbc() {
        return this.jdbc;
    }

    /** @return the serializer settings */
    public Serializer getSerializer() {
        return this.serializer;
    }

    /** @return the aggregate scanning settings */
    public Scan getScan() {
        return this.scan;
    }

    /** @return the repository settings */
    public Repository getRepository() {
        return this.repository;
    }

    /** @return the metrics settings */
    public Metrics getMetrics() {
        return this.metrics;
    }

    /** @return the snapshot settings */
    public Snapshots getSnapshots() {
        return this.snapshots;
    }

    /** Where events are stored. */
    public static class Store {

        /**
         * Store to use: auto picks JDBC when the context has a DataSource (with several, the @EventSourceDataSource
         * or the primary one), in-memory otherwise.
         */
        private StoreType type = StoreType.AUTO;

        /** @return the store type */
        public StoreType getType() {
            return this.type;
        }

        /** @param type the store type */
        public void setType(StoreType type) {
            this.type = type;
        }
    }

    /** Settings of the JDBC store. */
    public static class Jdbc {

        /**
         * Name of the events table, optionally qualified by a schema; the checkpoints, snapshots and lock tables
         * beside it take it as their prefix.
         */
        private String tableName = JdbcStore.DEFAULT_TABLE_NAME;

        /**
         * Database schema initialization mode for the event store's tables: embedded (only in an embedded
         * database), always, or never (the tables come from Flyway, Liquibase or a DBA).
         */
        private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

        /**
         * Locations of the SQL scripts that initialize the schema, written for the default table name (replaced by
         * table-name as they run); @@platform@@ stands for the platform.
         */
        private List<String> schemaLocations = new ArrayList<>(List.of(JdbcSchemaScripts.SCHEMA_LOCATION));

        /**
         * Platform of the database (postgresql, mysql, mariadb or h2); detected from the DataSource when not set.
         */
        private @Nullable String platform;

        /**
         * How long the PostgreSQL listener for appends keeps one pooled connection before it gives it back and takes
         * another; with a HikariCP pool, at most half of its max-lifetime is used.
         */
        private Duration listenerConnectionLifetime = JdbcStore.DEFAULT_LISTENER_CONNECTION_LIFETIME;

        /** @return how long the listener for appends keeps one connection */
        public Duration getListenerConnectionLifetime() {
            return this.listenerConnectionLifetime;
        }

        /**
         * Sets how long the listener for appends keeps one connection.
         *
         * @param listenerConnectionLifetime positive
         * @throws IllegalArgumentException when zero or negative
         */
        public void setListenerConnectionLifetime(Duration listenerConnectionLifetime) {
            if (listenerConnectionLifetime.isNegative() || listenerConnectionLifetime.isZero()) {
                throw new IllegalArgumentException("eventsource.jdbc.listener-connection-lifetime must be positive,"
                        + " got " + listenerConnectionLifetime);
            }
            this.listenerConnectionLifetime = listenerConnectionLifetime;
        }

        /** @return the events table name */
        public String getTableName() {
            return this.tableName;
        }

        /** @param tableName the events table name */
        public void setTableName(String tableName) {
            this.tableName = tableName;
        }

        /** @return when the events table is created at start-up */
        public DatabaseInitializationMode getInitializeSchema() {
            return this.initializeSchema;
        }

        /** @param initializeSchema when the events table is created at start-up */
        public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
            this.initializeSchema = initializeSchema;
        }

        /** @return the locations of the schema scripts */
        public List<String> getSchemaLocations() {
            return this.schemaLocations;
        }

        /** @param schemaLocations the locations of the schema scripts */
        public void setSchemaLocations(List<String> schemaLocations) {
            this.schemaLocations = schemaLocations;
        }

        /** @return the database platform, or {@code null} to detect it */
        public @Nullable String getPlatform() {
            return this.platform;
        }

        /**
         * Sets the database platform.
         *
         * @param platform postgresql, mysql, mariadb or h2; {@code null} or blank to detect it
         * @throws IllegalArgumentException when the platform is not supported
         */
        public void setPlatform(@Nullable String platform) {
            toDialect(platform);
            this.platform = platform;
        }

        /** Returns the dialect named by the platform, or {@code null} to detect it. */
        @Nullable JdbcDialect dialect() {
            return toDialect(this.platform);
        }

        private static @Nullable JdbcDialect toDialect(@Nullable String platform) {
            if (platform == null || platform.isBlank()) {
                return null;
            }
            String name = platform.trim().toLowerCase(Locale.ROOT);
            if (name.equals("mariadb")) {
                return JdbcDialect.MYSQL;
            }
            for (JdbcDialect dialect : JdbcDialect.values()) {
                if (dialect.platform().equals(name)) {
                    return dialect;
                }
            }
            throw new IllegalArgumentException("eventsource.jdbc.platform '" + platform + "' is not supported; use "
                    + "postgresql, mysql, mariadb or h2, or remove the property to detect the database");
        }
    }

    /** How events are serialized. */
    public static class Serializer {

        /** Format of stored event payloads. */
        private SerializerFormat format = SerializerFormat.JSON;

        /** @return the payload format */
        public SerializerFormat getFormat() {
            return this.format;
        }

        /** @param format the payload format */
        public void setFormat(SerializerFormat format) {
            this.format = format;
        }
    }

    /** Where aggregates are looked for. */
    public static class Scan {

        /**
         * Packages to scan for aggregates with @EventHandler methods; the auto-configuration packages when empty.
         */
        private List<String> basePackages = new ArrayList<>();

        /** @return the packages to scan */
        public List<String> getBasePackages() {
            return this.basePackages;
        }

        /** @param basePackages the packages to scan */
        public void setBasePackages(List<String> basePackages) {
            this.basePackages = basePackages;
        }
    }

    /** Settings shared by every repository. */
    public static class Repository {

        /** Number of times a command is run again after a concurrency conflict before the conflict is thrown. */
        private int maxRetries = dev.eventsource.Repository.Builder.DEFAULT_MAX_RETRIES;

        private final Retry retry = new Retry();

        /** @return the retries after a conflict */
        public int getMaxRetries() {
            return this.maxRetries;
        }

        /**
         * Sets the retries after a conflict.
         *
         * @param maxRetries 0 or more
         * @throws IllegalArgumentException when negative
         */
        public void setMaxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("eventsource.repository.max-retries must be 0 or more, got "
                        + maxRetries + "; use 0 to fail on the first conflict");
            }
            this.maxRetries = maxRetries;
        }

        /** @return the pauses between retries after a conflict, and their time budget */
        public Retry getRetry() {
            return this.retry;
        }

        /**
         * Returns the retry settings as the backoff a repository takes.
         *
         * @return the backoff, limited to max-retries retries and the time budget
         * @throws IllegalArgumentException when retry.max-backoff is below retry.first-backoff
         */
        public Backoff backoff() {
            if (this.retry.maxBackoff.compareTo(this.retry.firstBackoff) < 0) {
                throw new IllegalArgumentException("eventsource.repository.retry.max-backoff (" + this.retry.maxBackoff
                        + ") must be at least eventsource.repository.retry.first-backoff (" + this.retry.firstBackoff
                        + ")");
            }
            return Backoff.exponential(this.retry.firstBackoff, this.retry.maxBackoff)
                .withJitter(this.retry.jitter)
                .withMaxAttempts((this.maxRetries == Integer.MAX_VALUE) ? this.maxRetries : this.maxRetries + 1)
                .withTimeBudget(this.retry.timeBudget);
        }
    }

    /**
     * Pauses between the retries of a command after a concurrency conflict: the first retry follows at once, then
     * the pauses grow exponentially, with jitter, so that competitors spread out.
     */
    public static class Retry {

        /** Pause before the second retry after a conflict, doubled for each further retry up to max-backoff. */
        private Duration firstBackoff = dev.eventsource.Repository.Builder.DEFAULT_RETRY_FIRST_BACKOFF;

        /** Longest pause between two retries after a conflict. */
        private Duration maxBackoff = dev.eventsource.Repository.Builder.DEFAULT_RETRY_MAX_BACKOFF;

        /** Share of each pause drawn at random, from 0 (exact pauses) to 1 (anything from zero to the pause). */
        private double jitter = dev.eventsource.Repository.Builder.DEFAULT_RETRY_JITTER;

        /** Time after the start of a command when no further retry starts; unlimited when unset. */
        private @Nullable Duration timeBudget;

        /** @return the pause before the second retry */
        public Duration getFirstBackoff() {
            return this.firstBackoff;
        }

        /**
         * Sets the pause before the second retry.
         *
         * @param firstBackoff positive
         * @throws IllegalArgumentException when not positive
         */
        public void setFirstBackoff(Duration firstBackoff) {
            this.firstBackoff = positive(firstBackoff, "first-backoff");
        }

        /** @return the longest pause */
        public Duration getMaxBackoff() {
            return this.maxBackoff;
        }

        /**
         * Sets the longest pause.
         *
         * @param maxBackoff positive, at least first-backoff
         * @throws IllegalArgumentException when not positive
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = positive(maxBackoff, "max-backoff");
        }

        /** @return the jitter */
        public double getJitter() {
            return this.jitter;
        }

        /**
         * Sets the jitter.
         *
         * @param jitter from 0 to 1
         * @throws IllegalArgumentException when outside [0, 1]
         */
        public void setJitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("eventsource.repository.retry.jitter must be from 0 to 1, got "
                        + jitter);
            }
            this.jitter = jitter;
        }

        /** @return the time budget of a command's retries, or null for none */
        public @Nullable Duration getTimeBudget() {
            return this.timeBudget;
        }

        /**
         * Sets the time budget of a command's retries.
         *
         * @param timeBudget positive, or null for none
         * @throws IllegalArgumentException when zero or negative
         */
        public void setTimeBudget(@Nullable Duration timeBudget) {
            this.timeBudget = (timeBudget != null) ? positive(timeBudget, "time-budget") : null;
        }

        private static Duration positive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("eventsource.repository.retry." + name + " must be positive, got "
                        + duration);
            }
            return duration;
        }
    }

    /** Micrometer metrics of the repositories and subscriptions. */
    public static class Metrics {

        /** Whether to record repository and subscription metrics when a MeterRegistry is available. */
        private boolean enabled = true;

        /** @return whether metrics are recorded */
        public boolean isEnabled() {
            return this.enabled;
        }

        /** @param enabled whether metrics are recorded */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * Snapshots of aggregates: an aggregate class annotated {@code @Snapshotting}, or named under
     * {@code eventsource.snapshots.aggregates}, is loaded from its latest snapshot plus the events after it.
     */
    public static class Snapshots {

        /**
         * Whether aggregates get snapshots as their @Snapshotting annotations and the aggregates settings say; when
         * false, no repository reads or takes any.
         */
        private boolean enabled = true;

        /**
         * Snapshot settings by aggregate type name (@AggregateType, else the simple class name), overriding the
         * class's @Snapshotting or turning snapshots on for a class without it: enabled, every (50), slower-than (0,
         * never) and revision (1), for example eventsource.snapshots.aggregates.Account.every=50.
         */
        private final Map<String, AggregateSnapshots> aggregates = new LinkedHashMap<>();

        private final SnapshotExecution executor = new SnapshotExecution();

        /** @return whether snapshots are taken and read at all */
        public boolean isEnabled() {
            return this.enabled;
        }

        /** @param enabled whether snapshots are taken and read at all */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the settings by aggregate type name */
        public Map<String, AggregateSnapshots> getAggregates() {
            return this.aggregates;
        }

        /** @return the settings of the executor that takes snapshots */
        public SnapshotExecution getExecutor() {
            return this.executor;
        }
    }

    /**
     * Snapshot settings of one aggregate type, under eventsource.snapshots.aggregates.<type name>; each unset value
     * is the class's @Snapshotting one, or its default.
     */
    public static class AggregateSnapshots {

        /**
         * Whether the aggregate type gets snapshots; when unset, it does if its class is annotated @Snapshotting or
         * any other setting of the type is set.
         */
        private @Nullable Boolean enabled;

        /** Number of events replayed or appended since the last snapshot after which a new one is taken; 0 never. */
        private @Nullable Integer every;

        /** Duration of a load beyond which a snapshot is taken; 0 never. */
        private @Nullable Duration slowerThan;

        /**
         * Revision of the snapshots' meaning; raise it to retire the stored snapshots of the type when its event
         * handlers change what the state holds without changing its fields.
         */
        private @Nullable Integer revision;

        /** @return whether the type gets snapshots, or null to decide by the annotation and the other settings */
        public @Nullable Boolean getEnabled() {
            return this.enabled;
        }

        /** @param enabled whether the type gets snapshots, or null to decide by the annotation */
        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the events between snapshots, or null for the annotation's value */
        public @Nullable Integer getEvery() {
            return this.every;
        }

        /**
         * Sets the events between snapshots.
         *
         * @param every 0 (never) or more, or null for the annotation's value
         * @throws IllegalArgumentException when negative
         */
        public void setEvery(@Nullable Integer every) {
            if (every != null && every < 0) {
                throw new IllegalArgumentException("eventsource.snapshots.aggregates.<type>.every must be 0 (never) "
                        + "or more, got " + every);
            }
            this.every = every;
        }

        /** @return the load duration that triggers a snapshot, or null for the annotation's value */
        public @Nullable Duration getSlowerThan() {
            return this.slowerThan;
        }

        /**
         * Sets the load duration that triggers a snapshot.
         *
         * @param slowerThan 0 (never) or more, or null for the annotation's value
         * @throws IllegalArgumentException when negative
         */
        public void setSlowerThan(@Nullable Duration slowerThan) {
            if (slowerThan != null && slowerThan.isNegative()) {
                throw new IllegalArgumentException("eventsource.snapshots.aggregates.<type>.slower-than must be 0 "
                        + "(never) or more, got " + slowerThan);
            }
            this.slowerThan = slowerThan;
        }

        /** @return the snapshot revision, or null for the annotation's value */
        public @Nullable Integer getRevision() {
            return this.revision;
        }

        /**
         * Sets the snapshot revision.
         *
         * @param revision 1 or more, or null for the annotation's value
         * @throws IllegalArgumentException when below 1
         */
        public void setRevision(@Nullable Integer revision) {
            if (revision != null && revision < 1) {
                throw new IllegalArgumentException("eventsource.snapshots.aggregates.<type>.revision must be 1 or "
                        + "more, got " + revision);
            }
            this.revision = revision;
        }

        /** @return whether every, slower-than or revision is set */
        boolean hasPolicySettings() {
            return this.every != null || this.slowerThan != null || this.revision != null;
        }
    }

    /**
     * The one executor on which every repository takes its snapshots, off the callers' threads: a snapshot due when
     * its queue is full is skipped (counted), never waited for.
     */
    public static class SnapshotExecution {

        /** Number of threads taking snapshots, shared by every repository. */
        private int threads = 1;

        /**
         * Number of snapshots that may wait for a thread (or for the end of the transaction that made them due)
         * beyond which a due snapshot is skipped.
         */
        private int queueCapacity = 1024;

        /** @return the threads */
        public int getThreads() {
            return this.threads;
        }

        /**
         * Sets the threads.
         *
         * @param threads 1 or more
         * @throws IllegalArgumentException when below 1
         */
        public void setThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("eventsource.snapshots.executor.threads must be 1 or more, got "
                        + threads + "; set eventsource.snapshots.enabled=false to take no snapshots");
            }
            this.threads = threads;
        }

        /** @return the queue capacity */
        public int getQueueCapacity() {
            return this.queueCapacity;
        }

        /**
         * Sets the queue capacity.
         *
         * @param queueCapacity 0 (a snapshot is taken only when a thread is free) or more
         * @throws IllegalArgumentException when negative
         */
        public void setQueueCapacity(int queueCapacity) {
            if (queueCapacity < 0) {
                throw new IllegalArgumentException("eventsource.snapshots.executor.queue-capacity must be 0 or more, "
                        + "got " + queueCapacity);
            }
            this.queueCapacity = queueCapacity;
        }
    }

    /** Settings of one subscription, under eventsource.subscriptions.<name>. */
    public static class Subscription {

        /** Whether the subscription runs; when false its projection receives no events. */
        private boolean enabled = true;

        /** How often an idle subscription reads the stream for new events (earlier after a local append). */
        private Duration pollInterval = dev.eventsource.subscription.Subscription.Builder.DEFAULT_POLL_INTERVAL;

        /** Events read, handled and checkpointed at a time (in one transaction with a JDBC store). */
        private int batchSize = dev.eventsource.subscription.Subscription.Builder.DEFAULT_BATCH_SIZE;

        /** Where a subscription without a checkpoint starts: beginning (all history) or end (new events only). */
        private StartFrom startFrom = dev.eventsource.subscription.Subscription.Builder.DEFAULT_START_FROM;

        /** Failed attempts on one event before the subscription applies its failure policy. */
        private int maxAttempts = dev.eventsource.subscription.Subscription.Builder.DEFAULT_MAX_ATTEMPTS;

        /**
         * What the subscription does with an event its handler failed on max-attempts times: halt (stop at it and wait
         * for an operator to restart or skip it) or dead-letter (record it in the dead letters and go on).
         */
        private FailurePolicy failurePolicy = FailurePolicy.HALT;

        /** Wait after a failed attempt, doubled after each further failure up to max-backoff. */
        private Duration backoff = dev.eventsource.subscription.Subscription.Builder.DEFAULT_BACKOFF;

        /** Longest wait between attempts. */
        private Duration maxBackoff = dev.eventsource.subscription.Subscription.Builder.DEFAULT_MAX_BACKOFF;

        /**
         * How long an instance keeps the subscription without renewing before another may take it over (by the
         * database's clock with the JDBC store), about how long the subscription pauses after that instance crashes.
         */
        private Duration leaseTime = dev.eventsource.subscription.Subscription.Builder.DEFAULT_LEASE_TIME;

        /** How often the instance running the subscription renews its lease; at most half the lease time. */
        private Duration renewInterval = dev.eventsource.subscription.Subscription.Builder.DEFAULT_RENEW_INTERVAL;

        /** @return whether the subscription runs */
        public boolean isEnabled() {
            return this.enabled;
        }

        /** @param enabled whether the subscription runs */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the poll interval */
        public Duration getPollInterval() {
            return this.pollInterval;
        }

        /** @param pollInterval the poll interval */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        /** @return the batch size */
        public int getBatchSize() {
            return this.batchSize;
        }

        /** @param batchSize the batch size */
        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        /** @return where a new subscription starts */
        public StartFrom getStartFrom() {
            return this.startFrom;
        }

        /** @param startFrom where a new subscription starts */
        public void setStartFrom(StartFrom startFrom) {
            this.startFrom = startFrom;
        }

        /** @return what the subscription does with an event its handler keeps failing on */
        public FailurePolicy getFailurePolicy() {
            return this.failurePolicy;
        }

        /** @param failurePolicy what the subscription does with an event its handler keeps failing on */
        public void setFailurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = failurePolicy;
        }

        /** @return the failed attempts before stopping */
        public int getMaxAttempts() {
            return this.maxAttempts;
        }

        /** @param maxAttempts the failed attempts before stopping */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return the first backoff */
        public Duration getBackoff() {
            return this.backoff;
        }

        /** @param backoff the first backoff */
        public void setBackoff(Duration backoff) {
            this.backoff = backoff;
        }

        /** @return the longest backoff */
        public Duration getMaxBackoff() {
            return this.maxBackoff;
        }

        /** @param maxBackoff the longest backoff */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /** @return the lease time */
        public Duration getLeaseTime() {
            return this.leaseTime;
        }

        /** @param leaseTime the lease time */
        public void setLeaseTime(Duration leaseTime) {
            this.leaseTime = leaseTime;
        }

        /** @return the renew interval */
        public Duration getRenewInterval() {
            return this.renewInterval;
        }

        /** @param renewInterval the renew interval */
        public void setRenewInterval(Duration renewInterval) {
            this.renewInterval = renewInterval;
        }
    }

    /** Which store {@link EventSourceAutoConfiguration} creates. */
    public enum StoreType {

        /** JDBC when the context has a DataSource, in-memory otherwise. */
        AUTO,

        /** The in-memory store: events are lost when the application stops. */
        MEMORY,

        /** The JDBC store on the application's DataSource. */
        JDBC
    }

    /** Payload format of stored events. */
    public enum SerializerFormat {

        /** JSON text, on the application's Jackson JsonMapper. */
        JSON,

        /** CBOR, a binary form of JSON's data model; needs jackson-dataformat-cbor. */
        CBOR
    }
}
