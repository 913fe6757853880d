package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.benchmarks.upcast.Wallet;
import dev.eventsource.benchmarks.upcast.WalletHistories;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.serializer.jackson.PreUpcastingJacksonSerializer;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.upcast.Upcaster;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The performance goals of issue 14 (schema evolution): rehydrating {@value #EVENTS} events that all need one
 * upcast step against the same history stored in today's revision, and a load in today's revision with upcasters
 * registered against one without any (and against the serializer as it was before upcasting existed). Every
 * benchmark loads one aggregate through a {@link Repository} and returns its balance; they differ only in the
 * stored shape or the serializer, so their ratios are the costs the issue bounds. Throughput, loads per second.
 */
public class UpcastBenchmarks {

    /** The {@code store} parameter: the memory store (the serializer's cost, undiluted). */
    public static final String MEMORY = "memory";
    /** The {@code store} parameter: {@link JdbcStore} on the shared PostgreSQL server. */
    public static final String JDBC = "jdbc";
    /** Events per aggregate. */
    public static final int EVENTS = 1_000;

    private static final String TABLE = "upcast_bench_events";

    /** One store holding the same wallet history twice: in revision 1 and in today's revision 2. */
    @State(Scope.Benchmark)
    public static class Wallets {
        @Param({MEMORY, JDBC})
        public String store;

        HikariDataSource pool;
        /** Today's serializer with the two steps of the wallet's events and upcasters of sixteen other types. */
        Repository<Wallet> upcasting;
        /** Today's serializer without any upcaster. */
        Repository<Wallet> plain;
        /** The serializer of main before revisions existed (7e9a6a4). */
        Repository<Wallet> preUpcasting;
        /** Stored in revision 1: every event needs one step. */
        String old;
        /** Stored in revision 2, today's. */
        String current;

        @Setup(Level.Trial)
        public void seed(BenchmarkParams params) {
            Store events = switch (store) {
                case MEMORY -> new MemoryStore();
                case JDBC -> {
                    pool = BenchDatabase.pool();
                    JdbcStore jdbc = JdbcStore.builder(pool).tableName(TABLE).build();
                    jdbc.createSchema();
                    yield jdbc;
                }
                default -> throw new IllegalArgumentException("Unknown store '" + store + "'; use " + MEMORY
                        + " or " + JDBC);
            };
            List<Upcaster> upcasters = new ArrayList<>(WalletHistories.STEPS);
            upcasters.addAll(WalletHistories.OTHER_TYPES);
            upcasting = repository(events, JacksonSerializer.json().addUpcasters(upcasters.toArray(new Upcaster[0])));
            plain = repository(events, JacksonSerializer.json());
            preUpcasting = repository(events, PreUpcastingJacksonSerializer.json());

            String run = UUID.randomUUID().toString();
            old = "wallet-r1-" + run;
            current = "wallet-r2-" + run;
            String stream = upcasting.aggregateTypeName();
            events.save(old, WalletHistories.revision1(old, EVENTS).stream()
                    .map(record -> record.withAggregateType(stream)).toList());
            events.save(current, WalletHistories.current(upcasting.serializer(), current, EVENTS).stream()
                    .map(record -> record.withAggregateType(stream)).toList());
            int stored = events.load(current).get(0).revision();
            String benchmark = params.getBenchmark();
            if (stored != 2 && (benchmark.endsWith(".currentRevision") || benchmark.endsWith(".currentNoUpcasters"))) {
                throw new IllegalStateException("The " + store + " store read back revision " + stored + " for a"
                        + " record saved in revision 2: it does not keep revisions yet, so " + benchmark
                        + " would upcast or fail; run only upcastOneStep and currentPreUpcasting on it");
            }
            check(upcasting, old);
            check(preUpcasting, current);
            if (stored == 2) {
                check(upcasting, current);
                check(plain, current);
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            if (pool != null) {
                pool.close();
            }
        }

        private static void check(Repository<Wallet> repository, String id) {
            long balance = repository.load(id).balance();
            if (balance != EVENTS - 1) {
                throw new IllegalStateException("Wallet " + id + " rehydrated to balance " + balance + ", not "
                        + (EVENTS - 1));
            }
        }

        private static Repository<Wallet> repository(Store store, Serializer serializer) {
            return Repository.builder(Wallet.class).store(store).serializer(serializer).build();
        }
    }

    /**
     * Loads {@value #EVENTS} events stored in revision 1, each upcast by one step (a renamed field) before binding.
     *
     * @return the balance, so the load cannot be optimised away
     */
    @Benchmark
    public long upcastOneStep(Wallets wallets) {
        return wallets.upcasting.load(wallets.old).balance();
    }

    /**
     * The same history stored in today's revision, through the same serializer (upcasters registered): the
     * baseline of {@link #upcastOneStep} and the subject of the fast-path comparisons.
     *
     * @return the balance
     */
    @Benchmark
    public long currentRevision(Wallets wallets) {
        return wallets.upcasting.load(wallets.current).balance();
    }

    /**
     * The same history in today's revision through a serializer without any upcaster.
     *
     * @return the balance
     */
    @Benchmark
    public long currentNoUpcasters(Wallets wallets) {
        return wallets.plain.load(wallets.current).balance();
    }

    /**
     * The same history in today's revision through the serializer as it was before revisions (7e9a6a4).
     *
     * @return the balance
     */
    @Benchmark
    public long currentPreUpcasting(Wallets wallets) {
        return wallets.preUpcasting.load(wallets.current).balance();
    }

    /**
     * Tells whether a {@link JdbcStore} on the server keeps the revision of a record (on main before the revision
     * column it reads every row as revision 1, and the JDBC rows of these benchmarks would compare nothing).
     *
     * @param url the server's JDBC URL
     * @return whether a record saved in revision 2 loads as revision 2
     */
    static boolean jdbcKeepsRevisions(String url) {
        try (HikariDataSource pool = BenchDatabase.pool(url, 1)) {
            JdbcStore store = JdbcStore.builder(pool).tableName(TABLE).build();
            store.createSchema();
            String id = "revision-probe-" + UUID.randomUUID();
            store.save(id, Record.of("Wallet", id, 1, "WalletOpened", Instant.now(),
                    ("{\"aggregateId\":\"" + id + "\",\"version\":1,\"at\":\"2024-01-01T00:00:00Z\",\"owner\":\"x\"}")
                            .getBytes(StandardCharsets.UTF_8)).withRevision(2));
            return store.load(id).get(0).revision() == 2;
        }
    }
}
