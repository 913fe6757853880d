package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
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

    /**
     * One store holding the same wallet history three times: in revision 1, in today's revision 2 as written today,
     * and in revision 2 with the envelope in every payload as written before slim payloads.
     */
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
        /** Stored in revision 2, today's, as today's serializer writes it (slim payloads). */
        String current;
        /** Stored in revision 2 as the serializer before upcasting wrote it (payloads with the envelope). */
        String full;

        @Setup(Level.Trial)
        public void seed() {
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
            full = "wallet-r2-full-" + run;
            String stream = upcasting.aggregateTypeName();
            events.save(old, WalletHistories.revision1(upcasting.serializer(), old, EVENTS).stream()
                    .map(record -> record.withAggregateType(stream)).toList());
            events.save(full, WalletHistories.full(preUpcasting.serializer(), full, EVENTS).stream()
                    .map(record -> record.withAggregateType(stream)).toList());
            events.save(current, WalletHistories.current(upcasting.serializer(), current, EVENTS).stream()
                    .map(record -> record.withAggregateType(stream)).toList());
            int stored = events.load(current).get(0).revision();
            if (stored != 2) {
                throw new IllegalStateException("The " + store + " store read back revision " + stored + " for a"
                        + " record saved in revision 2: it does not keep revisions, so these loads would upcast or"
                        + " fail; run with stores=" + MEMORY);
            }
            check(upcasting, old);
            check(upcasting, current);
            check(plain, current);
            check(plain, full);
            check(preUpcasting, full);
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
     * The same history in today's revision with the payloads the serializer before upcasting wrote (aggregate id,
     * version and time inside), through that serializer (7e9a6a4).
     *
     * @return the balance
     */
    @Benchmark
    public long fullPayloadsPreUpcasting(Wallets wallets) {
        return wallets.preUpcasting.load(wallets.full).balance();
    }

    /**
     * The same bytes as {@link #fullPayloadsPreUpcasting} through today's serializer without upcasters.
     *
     * @return the balance
     */
    @Benchmark
    public long fullPayloadsNoUpcasters(Wallets wallets) {
        return wallets.plain.load(wallets.full).balance();
    }
}
