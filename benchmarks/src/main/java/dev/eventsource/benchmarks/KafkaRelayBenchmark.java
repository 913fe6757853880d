package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.kafka.EventMessages;
import dev.eventsource.kafka.KafkaRelay;
import dev.eventsource.kafka.KafkaRelayMetrics;
import dev.eventsource.kafka.KafkaTopic;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 17: the Kafka relay against the floor, a bare {@code KafkaProducer} sending the same messages from memory,
 * side by side in one run on one embedded KRaft broker; and the lag from append to acknowledgement at a fixed
 * append rate. Not JMH: the relay is a system of threads (the subscription, the producer's I/O thread, the
 * database), so a round is timed end to end, alternating floor and relay, and the medians are compared.
 *
 * <p>Arguments: {@code events=N} (per round, default 200,000), {@code rounds=N} (default 5), {@code warmup=N}
 * (warm-up rounds before them, default 2), {@code rate=N} (appends per second for the lag, default 500), {@code seconds=N} (lag run, default 10),
 * {@code batch=N} (events the relay reads at a time) and {@code window=N} (records in flight at most), by default the
 * relay's defaults; {@code database-cpus=LIST} pins the embedded PostgreSQL server to those CPUs (see
 * {@link #pinDatabase}); {@code json-columns=json} turns the payload and metadata columns into {@code json} after the
 * appends (an experiment: what {@code jsonb} costs the reads).
 *
 * <p>Besides throughput, each round reports the CPU per event in this JVM (by thread group: the sender, the relay's
 * read-ahead, the producer's I/O thread, the broker, and GC, JIT and VM as the rest) and in PostgreSQL, the producers'
 * batching, the rows the relay read per event, and a raw read: the same events read back with plain JDBC and no
 * library code. The machine is CPU-bound, so the floor's CPU per event against the floor's plus the raw read's is the
 * ceiling of any relay that reads this database here; with {@code database-cpus} only the JVM's part of the read
 * counts.
 */
public final class KafkaRelayBenchmark {

    /** The event appended. */
    public record Deposited(String aggregateId, long version, Instant at, long amount, String reference)
            implements Event {
    }

    private static final int PARTITIONS = 4;
    private static int BATCH_SIZE = KafkaRelay.DEFAULT_BATCH_SIZE;
    private static int WINDOW = KafkaRelay.DEFAULT_WINDOW;
    private static final AtomicInteger NAMES = new AtomicInteger();
    /** Per relay round: from start to the first send (producer, lease, first read), and events/s after it. */
    private static final List<Double> STARTUP_MILLIS = new ArrayList<>();
    private static final List<Double> STEADY = new ArrayList<>();
    /** The CPU time per thread group of the last round, from its clock's start to its end. */
    private static Map<String, Long> LAST_THREADS = Map.of();
    /** How the last round's producer batched: records per request and bytes per partition batch. */
    private static String LAST_BATCHING = "";
    /** The records the last relay round read from its store (each event once, unless read-ahead was dropped). */
    private static long LAST_ROWS_READ;

    private KafkaRelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            for (String part : arg.split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    options.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
        }
        int events = Integer.parseInt(options.getOrDefault("events", "200000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        int warmups = Integer.parseInt(options.getOrDefault("warmup", "2"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "500"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        BATCH_SIZE = Integer.parseInt(options.getOrDefault("batch", String.valueOf(BATCH_SIZE)));
        WINDOW = Integer.parseInt(options.getOrDefault("window", String.valueOf(WINDOW)));

        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
        broker.afterPropertiesSet();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startPrivate();
        try (HikariDataSource pool = BenchDatabase.pool(postgres.jdbcUrl(), 8)) {
            String databaseCpus = options.get("database-cpus");
            if (databaseCpus != null) {
                pinDatabase(databaseCpus);
            }
            JacksonSerializer serializer = JacksonSerializer.json().bind(Deposited.class);
            JdbcStore store = JdbcStore.builder(pool).tableName("relay_events").build();
            store.createSchema();
            append(store, serializer, events);
            if ("json".equals(options.get("json-columns"))) {
                // An experiment, not a supported schema: the payload and metadata as json (text kept as written)
                // instead of jsonb, to measure what the database's jsonb-to-text conversion costs the relay.
                try (var connection = pool.getConnection(); var statement = connection.createStatement()) {
                    statement.execute("ALTER TABLE relay_events ALTER COLUMN payload TYPE json,"
                            + " ALTER COLUMN metadata TYPE json");
                }
                System.out.println("payload and metadata columns changed to json for this run");
            }
            List<Record> stored = new ArrayList<>();
            for (long after = 0; stored.size() < events; ) {
                List<Record> page = store.readAll(after, 10_000);
                stored.addAll(page);
                after = page.get(page.size() - 1).position();
            }
            EventMessages messages = EventMessages.of("bench", store.payloadFormat());
            Map<String, Object> config = KafkaRelay.producerConfig(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                    ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 65536));

            createTopics(broker, warmups, rounds);
            double[] floor = new double[rounds];
            double[] prebuiltFloor = new double[rounds];
            double[] relay = new double[rounds];
            double[] ratios = new double[rounds];
            double[] steady = new double[rounds];
            double[] steadyRatios = new double[rounds];
            double[] startup = new double[rounds];
            double[] memoryRelay = new double[rounds];
            double[] floorCpuPerEvent = new double[rounds];
            double[] relayCpuPerEvent = new double[rounds];
            double[] databaseCpuPerEvent = new double[rounds];
            double[] rawReadCpuPerEvent = new double[rounds];
            double[] ceilings = new double[rounds];
            dev.eventsource.store.memory.MemoryStore memory = new dev.eventsource.store.memory.MemoryStore();
            append(memory, serializer, events);
            Map<String, Long> floorThreads = new java.util.TreeMap<>();
            Map<String, Long> relayThreads = new java.util.TreeMap<>();
            for (int round = -warmups; round < rounds; round++) {
                long cpu = cpuMillis();
                double f = floorRound(broker, config, messages, stored, false);
                long floorCpu = cpuMillis() - cpu;
                String floorBatching = LAST_BATCHING;
                if (round >= 0) {
                    LAST_THREADS.forEach((group, nanos) -> floorThreads.merge(group, nanos, Long::sum));
                }
                double p = floorRound(broker, config, messages, stored, true);
                cpu = cpuMillis();
                long databaseCpu = databaseCpuMillis();
                double r = relayRound(broker, config, store, stored.get(stored.size() - 1).position());
                long fetched = LAST_ROWS_READ;
                long relayCpu = cpuMillis() - cpu;
                databaseCpu = databaseCpuMillis() - databaseCpu;
                if (round >= 0) {
                    LAST_THREADS.forEach((group, nanos) -> relayThreads.merge(group, nanos, Long::sum));
                }
                double s = STEADY.get(STEADY.size() - 1);
                System.out.printf("round %d batching: bare producer %s; relay %s; rows of the events table the relay"
                        + " read per event: %.2f%n", round, floorBatching, LAST_BATCHING, fetched / (double) events);
                double[] raw = rawRead(pool, events);
                // The most any relay reading this database can reach: the floor's CPU per event against the floor's
                // plus what reading the events back costs, with no library code (the machine is CPU-bound); the
                // database's part only where it shares the JVM's cores.
                double floorMicros = floorCpu * 1000.0 / events;
                double ceiling = floorMicros / (floorMicros + raw[0] + (databaseCpus == null ? raw[1] : 0));
                System.out.printf("round %d raw read (plain JDBC, same query): %.2f us in the JVM + %.2f us in"
                        + " PostgreSQL per event, so a relay's ceiling is %.2f of the bare producer%n", round, raw[0],
                        raw[1], ceiling);
                if (round >= 0) {
                    rawReadCpuPerEvent[round] = raw[0] + raw[1];
                    ceilings[round] = ceiling;
                }
                double up = STARTUP_MILLIS.get(STARTUP_MILLIS.size() - 1);
                double m = relayRound(broker, config, memory, memory.lastPosition());
                if (round >= 0) {
                    floor[round] = f;
                    prebuiltFloor[round] = p;
                    relay[round] = r;
                    ratios[round] = r / f;
                    steady[round] = s;
                    steadyRatios[round] = s / f;
                    startup[round] = up;
                    memoryRelay[round] = m;
                    floorCpuPerEvent[round] = floorCpu * 1000.0 / events;
                    relayCpuPerEvent[round] = relayCpu * 1000.0 / events;
                    databaseCpuPerEvent[round] = databaseCpu * 1000.0 / events;
                }
                System.out.printf("round %d: bare producer %.0f events/s (messages prebuilt: %.0f), relay %.0f"
                        + " events/s, ratio %.2f (%.2f); from its first send %.0f events/s, ratio %.2f (start-up %.0f"
                        + " ms); relay on the memory store %.0f events/s; CPU per event: bare %.2f us, relay %.2f us"
                        + " in the JVM + %.2f us in PostgreSQL%n", round, f, p, r, r / f, r / p, s, s / f, up, m,
                        floorCpu * 1000.0 / events, relayCpu * 1000.0 / events, databaseCpu * 1000.0 / events);
            }
            System.out.printf("%nBatch %d, window %d.", BATCH_SIZE, WINDOW);
            System.out.printf("%nThroughput, %d events per round, %d rounds after %d warm-up rounds (medians): bare"
                    + " KafkaProducer %.0f events/s (messages prebuilt: %.0f), relay %.0f events/s; ratio relay/bare"
                    + " %.2f (median of the rounds' ratios %.2f), relay/prebuilt %.2f%n", events, rounds, warmups,
                    median(floor), median(prebuiltFloor), median(relay), median(relay) / median(floor),
                    median(ratios), median(relay) / median(prebuiltFloor));
            System.out.printf("Relay from its first send (the floor's clock starts at its first send too): %.0f"
                    + " events/s, ratio %.2f (median of the rounds' ratios %.2f); start-up (producer, lease, first"
                    + " read) %.0f ms%n", median(steady), median(steady) / median(floor), median(steadyRatios),
                    median(startup));
            System.out.printf("Relay reading the memory store instead of PostgreSQL: %.0f events/s, %.2f of the bare"
                    + " producer%n", median(memoryRelay), median(memoryRelay) / median(floor));
            System.out.printf("CPU per event on the machine's cores (medians; the JVM holds the broker too): bare"
                    + " producer %.2f us; relay %.2f us in the JVM and %.2f us in PostgreSQL's processes%n",
                    median(floorCpuPerEvent), median(relayCpuPerEvent), median(databaseCpuPerEvent));
            System.out.printf("Reading the events back with plain JDBC (the relay's query, no library code): %.2f us"
                    + " per event in the JVM and PostgreSQL; the ceiling this puts on any relay reading this database on"
                    + " this machine (%s): %.2f of the bare producer (median of the rounds); the relay reached %.2f of"
                    + " it%n", median(rawReadCpuPerEvent), databaseCpus == null ? "the database's CPU and the JVM's"
                    : "only the JVM's part counts, the database has CPUs of its own", median(ceilings),
                    median(ratios) / median(ceilings));
            System.out.printf("JVM CPU per event by thread (means over the rounds, from each round's start to its"
                    + " end): bare producer %s; relay %s%n", ThreadCpu.perEvent(floorThreads, (long) events * rounds),
                    ThreadCpu.perEvent(relayThreads, (long) events * rounds));
            lag(broker, config, store, pool, serializer, rate, seconds);
        } finally {
            postgres.close();
            broker.destroy();
        }
    }

    private static void append(dev.eventsource.Store store, JacksonSerializer serializer, int events) {
        int perAggregate = 100;
        for (int a = 0; a * perAggregate < events; a++) {
            String id = "account-" + a;
            List<Record> records = new ArrayList<>();
            for (int v = 1; v <= perAggregate && a * perAggregate + v <= events; v++) {
                records.add(serializer.marshal(new Deposited(id, v, Instant.now(), v * 10L, "ref-" + a + "-" + v))
                    .withAggregateType("Account").withMetadata(Map.of("user", "bench")));
            }
            store.save(id, records);
        }
    }

    private static String topic(EmbeddedKafkaKraftBroker broker, String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /**
     * Creates every topic of the run up front and lets the broker settle: a topic used the moment it is created
     * can still move its leader, which an idempotent producer answers with failed sends.
     */
    private static void createTopics(EmbeddedKafkaKraftBroker broker, int warmups, int rounds)
            throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        int n = NAMES.get();
        for (int round = -warmups; round < rounds; round++) {
            topics.add(new NewTopic("floor-" + (++n), PARTITIONS, (short) 1));
            topics.add(new NewTopic("floor-" + (++n), PARTITIONS, (short) 1));
            topics.add(new NewTopic("relay-" + (++n), PARTITIONS, (short) 1));
            ++n; // the relay's name
            topics.add(new NewTopic("relay-" + (++n), PARTITIONS, (short) 1));
            ++n;
        }
        topics.add(new NewTopic("lag-" + (++n), PARTITIONS, (short) 1));
        broker.addTopics(topics.toArray(NewTopic[]::new));
        Thread.sleep(5000);
    }

    /**
     * The floor: the same records, in memory, sent by a bare producer and flushed; the messages built in the timed
     * loop ({@code prebuilt} false) or before the clock starts ({@code prebuilt} true, a floor below any publisher).
     */
    private static double floorRound(EmbeddedKafkaKraftBroker broker, Map<String, Object> config,
            EventMessages messages, List<Record> stored, boolean prebuilt) {
        String topic = topic(broker, "floor");
        List<ProducerRecord<String, byte[]>> prepared = new ArrayList<>(stored.size());
        if (prebuilt) {
            for (Record record : stored) {
                prepared.add(messages.toMessage(topic, record));
            }
        }
        AtomicLong failures = new AtomicLong();
        try (Producer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.partitionsFor(topic);
            Map<Long, ThreadCpu.Sample> threads = ThreadCpu.sample();
            long start = System.nanoTime();
            for (int i = 0; i < stored.size(); i++) {
                ProducerRecord<String, byte[]> message = prebuilt ? prepared.get(i)
                        : messages.toMessage(topic, stored.get(i));
                producer.send(message, (metadata, e) -> {
                    if (e != null) {
                        failures.incrementAndGet();
                    }
                });
            }
            producer.flush();
            long elapsed = System.nanoTime() - start;
            LAST_THREADS = ThreadCpu.since(threads);
            LAST_BATCHING = batching(producer);
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " sends failed");
            }
            return stored.size() / (elapsed / 1e9);
        }
    }

    /** The relay from an empty checkpoint to the last position, reading the store, until the checkpoint is there. */
    private static double relayRound(EmbeddedKafkaKraftBroker broker, Map<String, Object> config,
            dev.eventsource.Store store, long last) throws InterruptedException {
        String topic = topic(broker, "relay");
        AtomicLong firstSent = new AtomicLong();
        KafkaRelayMetrics metrics = new KafkaRelayMetrics() {
            @Override
            public void sent(String relay, int count) {
                if (firstSent.get() == 0) {
                    firstSent.set(System.nanoTime());
                }
            }
        };
        java.util.concurrent.atomic.AtomicReference<Producer<String, byte[]>> created =
                new java.util.concurrent.atomic.AtomicReference<>();
        // The clock stops when the checkpoint reaches the last position: the subscription's metrics wake this thread
        // then (positions are dense here, so the events checkpointed count to the last position), with no polling
        // competing for the cores.
        Thread waiting = Thread.currentThread();
        AtomicLong checkpointed = new AtomicLong();
        dev.eventsource.subscription.SubscriptionMetrics done = new dev.eventsource.subscription.SubscriptionMetrics() {
            @Override
            public void processed(String subscription, int events) {
                if (checkpointed.addAndGet(events) >= last) {
                    LockSupport.unpark(waiting);
                }
            }

            @Override
            public void halted(String subscription, boolean halted) {
                if (halted) {
                    LockSupport.unpark(waiting);
                }
            }
        };
        AtomicLong rowsRead = new AtomicLong();
        dev.eventsource.Store counting = new dev.eventsource.Store() {
            @Override
            public boolean save(String aggregateId, List<Record> records) {
                return store.save(aggregateId, records);
            }

            @Override
            public dev.eventsource.History load(String aggregateId, long fromVersion, long toVersion) {
                return store.load(aggregateId, fromVersion, toVersion);
            }

            @Override
            public List<Record> readAll(long afterPosition, int limit) {
                List<Record> records = store.readAll(afterPosition, limit);
                rowsRead.addAndGet(records.size());
                return records;
            }

            @Override
            public long lastPosition() {
                return store.lastPosition();
            }
        };
        KafkaRelay relay = KafkaRelay.builder(counting, () -> {
            Producer<String, byte[]> producer = new KafkaProducer<>(config);
            created.set(producer);
            return producer;
        }, KafkaTopic.of(topic))
            .name("relay-" + NAMES.incrementAndGet())
            .window(WINDOW)
            .metrics(metrics)
            .subscription((subscription) -> subscription.checkpoints(store instanceof JdbcStore jdbc
                    ? JdbcCheckpointStore.of(jdbc) : new dev.eventsource.subscription.MemoryCheckpointStore())
                .batchSize(BATCH_SIZE).pollInterval(Duration.ofMillis(10)).metrics(done))
            .build();
        // Connect first, as the floor does, so both rounds time the sending only.
        try (Producer<String, byte[]> warm = new KafkaProducer<>(config)) {
            warm.partitionsFor(topic);
        }
        Map<Long, ThreadCpu.Sample> threads = ThreadCpu.sample();
        long start = System.nanoTime();
        relay.start();
        while (relay.subscription().position() < last) {
            if (relay.isHalted()) {
                throw new IllegalStateException("relay halted", relay.subscription().failure());
            }
            LockSupport.parkNanos(100_000_000);
        }
        long end = System.nanoTime();
        long elapsed = end - start;
        // Before the stop, while the relay's threads (which end with it) can still be asked.
        LAST_THREADS = ThreadCpu.since(threads);
        LAST_BATCHING = batching(created.get());
        LAST_ROWS_READ = rowsRead.get();
        STARTUP_MILLIS.add((firstSent.get() - start) / 1e6);
        STEADY.add(last / ((end - firstSent.get()) / 1e9));
        relay.stop(Duration.ofSeconds(30));
        // Positions are dense here (one writer, no rollbacks): the last position is the number of events.
        return last / (elapsed / 1e9);
    }

    /** Appends one event at a time at a fixed rate while the relay runs; the lag is append to acknowledgement. */
    private static void lag(EmbeddedKafkaKraftBroker broker, Map<String, Object> config, JdbcStore store,
            HikariDataSource pool, JacksonSerializer serializer, int rate, int seconds) throws Exception {
        String topic = topic(broker, "lag");
        long[] lags = new long[rate * seconds + 1000];
        AtomicInteger count = new AtomicInteger();
        KafkaRelayMetrics metrics = new KafkaRelayMetrics() {
            @Override
            public void acknowledged(String relay, long millisSinceEvent) {
                int i = count.getAndIncrement();
                if (i < lags.length) {
                    lags[i] = millisSinceEvent;
                }
            }
        };
        KafkaRelay relay = KafkaRelay.builder(store, () -> new KafkaProducer<>(config), KafkaTopic.of(topic))
            .name("relay-lag")
            .window(WINDOW)
            .metrics(metrics)
            .subscription((subscription) -> subscription.checkpoints(JdbcCheckpointStore.of(store))
                .batchSize(BATCH_SIZE).startFrom(dev.eventsource.subscription.StartFrom.END))
            .build();
        relay.start();
        AutoCloseable listening = store.listenForAppends(relay::wake);
        while (relay.subscription().state() != dev.eventsource.subscription.Subscription.State.ACTIVE) {
            Thread.sleep(10);
        }
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        int appended = 0;
        for (int i = 0; i < rate * seconds; i++) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += interval;
            String id = "lag-" + (i % 100);
            long version = i / 100 + 1;
            store.save(id, List.of(serializer.marshal(new Deposited(id, version, Instant.now(), 1, "lag"))
                .withAggregateType("Account")));
            appended++;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count.get() < appended && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        listening.close();
        relay.stop(Duration.ofSeconds(30));
        long[] sorted = Arrays.copyOf(lags, Math.min(count.get(), lags.length));
        Arrays.sort(sorted);
        System.out.printf("Lag from append to acknowledgement at %d appends/s for %d s (%d events, PostgreSQL"
                + " LISTEN wake-ups): p50 %d ms, p99 %d ms, max %d ms%n", rate, seconds, sorted.length,
                sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)], sorted[sorted.length - 1]);
    }

    /**
     * Moves the embedded PostgreSQL server's processes (the server, its workers and the pool's backends; backends
     * forked later inherit the server's CPUs) to other CPUs than this JVM's, as a database on a host of its own
     * would be: run the JVM with {@code taskset -c 0} and give {@code database-cpus=1}.
     */
    private static void pinDatabase(String cpus) throws Exception {
        List<Long> pids = ProcessHandle.allProcesses()
            .filter((process) -> process.info().command().map((command) -> command.contains("embedded-pg"))
                .orElse(false))
            .map(ProcessHandle::pid)
            .toList();
        for (long pid : pids) {
            Process taskset = new ProcessBuilder("taskset", "-a", "-c", "-p", cpus, String.valueOf(pid))
                .redirectErrorStream(true).start();
            String output = new String(taskset.getInputStream().readAllBytes());
            if (taskset.waitFor() != 0) {
                throw new IllegalStateException("taskset failed for PostgreSQL process " + pid + ": " + output);
            }
        }
        String self = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
            .filter((line) -> line.startsWith("Cpus_allowed_list")).findFirst().orElse("?");
        System.out.printf("PostgreSQL's %d processes pinned to CPUs %s; this JVM: %s%n", pids.size(), cpus, self);
    }

    /** @return the CPU time this JVM (the broker, producers, relay and JDBC driver) has used */
    private static long cpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
            .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    /**
     * @return the CPU time the embedded PostgreSQL server's processes have used (its server and backends run the
     *     binary unpacked under {@code embedded-pg}; pg_ctl detaches them from this JVM)
     */
    private static long databaseCpuMillis() {
        return ProcessHandle.allProcesses()
            .filter((process) -> process.info().command().map((command) -> command.contains("embedded-pg"))
                .orElse(false))
            .mapToLong((process) -> process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L))
            .sum();
    }

    /**
     * Reads every event back with plain JDBC, the relay's query and fetch size in a transaction, each column's bytes
     * as the driver received them: the cost of the read alone, which no relay reading this database can avoid.
     *
     * @return CPU microseconds per event in this JVM and in PostgreSQL's processes
     */
    private static double[] rawRead(HikariDataSource pool, int events) throws java.sql.SQLException {
        long cpu = cpuMillis();
        long databaseCpu = databaseCpuMillis();
        long read = 0;
        long after = 0;
        try (var connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (var statement = connection.prepareStatement("SELECT position, aggregate_id, version, type, revision,"
                    + " occurred_at, payload, metadata, aggregate_type, command_id FROM relay_events WHERE position > ?"
                    + " ORDER BY position LIMIT ?")) {
                statement.setFetchSize(Math.min(BATCH_SIZE, 500));
                while (read < events) {
                    statement.setLong(1, after);
                    statement.setInt(2, BATCH_SIZE);
                    try (var rows = statement.executeQuery()) {
                        while (rows.next()) {
                            after = rows.getLong(1);
                            for (int column = 2; column <= 10; column++) {
                                rows.getBytes(column);
                            }
                            read++;
                        }
                    }
                    connection.commit();
                }
            }
            connection.setAutoCommit(true);
        }
        return new double[] {(cpuMillis() - cpu) * 1000.0 / read, (databaseCpuMillis() - databaseCpu) * 1000.0 / read};
    }

    private static String batching(Producer<String, byte[]> producer) {
        Map<String, Object> values = new HashMap<>();
        producer.metrics().forEach((name, metric) -> {
            if (name.group().equals("producer-metrics")) {
                values.put(name.name(), metric.metricValue());
            }
        });
        return String.format("%.0f records/request, %.0f bytes/batch", (Double) values.get("records-per-request-avg"),
                (Double) values.get("batch-size-avg"));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** CPU time per Java thread, grouped by what the thread does; the rest of the process's is GC, JIT and the VM. */
    static final class ThreadCpu {

        record Sample(String name, long nanos, long bytes) {
        }

        private static final java.lang.management.ThreadMXBean THREADS =
                java.lang.management.ManagementFactory.getThreadMXBean();

        static Map<Long, Sample> sample() {
            Map<Long, Sample> samples = new HashMap<>();
            samples.put(-1L, new Sample("process", cpuMillis() * 1_000_000, 0));
            for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (info != null) {
                    long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                    if (nanos >= 0) {
                        samples.put(info.getThreadId(), new Sample(info.getThreadName(), nanos,
                                ((com.sun.management.ThreadMXBean) THREADS).getThreadAllocatedBytes(
                                        info.getThreadId())));
                    }
                }
            }
            return samples;
        }

        /** @return CPU nanoseconds by thread group since {@code before}, with "gc, jit, vm" the process's rest */
        static Map<String, Long> since(Map<Long, Sample> before) {
            Map<Long, Sample> after = sample();
            Map<String, Long> groups = new java.util.TreeMap<>();
            long threads = 0;
            for (Map.Entry<Long, Sample> entry : after.entrySet()) {
                if (entry.getKey() < 0) {
                    continue;
                }
                Sample earlier = before.get(entry.getKey());
                long nanos = entry.getValue().nanos() - (earlier == null ? 0 : earlier.nanos());
                threads += nanos;
                groups.merge(group(entry.getValue().name()), nanos, Long::sum);
                groups.merge("allocated bytes", entry.getValue().bytes() - (earlier == null ? 0 : earlier.bytes()),
                        Long::sum);
            }
            long process = after.get(-1L).nanos() - before.get(-1L).nanos();
            groups.merge("gc, jit, vm", Math.max(0, process - threads), Long::sum);
            return groups;
        }

        private static String group(String name) {
            if (name.startsWith("eventsource-read-ahead")) {
                return "read-ahead";
            }
            if (name.startsWith("eventsource-subscription")) {
                return "relay";
            }
            if (name.equals("main")) {
                return "main";
            }
            if (name.startsWith("kafka-producer-network-thread")) {
                return "producer I/O";
            }
            if (name.startsWith("data-plane-kafka") || name.startsWith("kafka") || name.startsWith("broker")
                    || name.startsWith("quorum") || name.startsWith("controller")) {
                return "broker";
            }
            return "other";
        }

        static String perEvent(Map<String, Long> groups, long events) {
            StringBuilder text = new StringBuilder();
            long total = 0;
            for (Map.Entry<String, Long> entry : groups.entrySet()) {
                if (entry.getKey().equals("allocated bytes")) {
                    continue;
                }
                if (entry.getValue() * 1000 / events >= 5) {
                    text.append(text.isEmpty() ? "" : ", ").append(String.format("%s %.2f us", entry.getKey(),
                            entry.getValue() / 1000.0 / events));
                }
                total += entry.getValue();
            }
            return text.append(String.format(" (total %.2f us; %.0f bytes allocated)", total / 1000.0 / events,
                    groups.getOrDefault("allocated bytes", 0L) / (double) events)).toString();
        }
    }
}
