package dev.eventsource.benchmarks;

import dev.eventsource.Repository;
import dev.eventsource.Serializer;
import dev.eventsource.benchmarks.upcast.Wallet;
import dev.eventsource.benchmarks.upcast.WalletHistories;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.serializer.jackson.PreUpcastingJacksonSerializer;
import dev.eventsource.Store;
import dev.eventsource.upcast.Upcaster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The comparisons of {@link UpcastBenchmarks}, measured in one JVM in interleaved slices: every round loads each
 * subject {@value #LOADS_PER_SLICE} times in turn, and the ratio of two subjects is taken per round. Load from other processes changes within seconds on a shared machine; JMH runs one benchmark
 * after another, so such drift lands in its ratios, while here it hits both sides of every ratio alike. The
 * subjects share the JIT's profile (as in an application that reads old and new events), unlike JMH's forks.
 */
final class UpcastPaired {

    static final int LOADS_PER_SLICE = 50;

    private UpcastPaired() {
    }

    /** Per-round ratios of one comparison: median and quartiles. */
    record Ratio(String store, String label, double median, double firstQuartile, double thirdQuartile,
                 int rounds) {
    }

    /**
     * Runs the rounds on one store.
     *
     * @param storeName the store's name, for the table
     * @param store the store; it must keep revisions
     * @param warmupRounds rounds run first and not counted
     * @param rounds counted rounds
     * @return the ratios
     */
    static List<Ratio> run(String storeName, Store store, int warmupRounds, int rounds) {
        List<Upcaster> upcasters = new ArrayList<>(WalletHistories.STEPS);
        upcasters.addAll(WalletHistories.OTHER_TYPES);
        Repository<Wallet> upcasting = repository(store,
                JacksonSerializer.json().addUpcasters(upcasters.toArray(new Upcaster[0])));
        Repository<Wallet> plain = repository(store, JacksonSerializer.json());
        Repository<Wallet> preUpcasting = repository(store, PreUpcastingJacksonSerializer.json());
        String stream = upcasting.aggregateTypeName();
        String run = UUID.randomUUID().toString();
        String old = "paired-r1-" + run;
        String current = "paired-r2-" + run;
        String full = "paired-r2-full-" + run;
        store.save(old, WalletHistories.revision1(upcasting.serializer(), old, UpcastBenchmarks.EVENTS).stream()
                .map(record -> record.withAggregateType(stream)).toList());
        store.save(current, WalletHistories.current(upcasting.serializer(), current, UpcastBenchmarks.EVENTS)
                .stream().map(record -> record.withAggregateType(stream)).toList());
        store.save(full, WalletHistories.full(preUpcasting.serializer(), full, UpcastBenchmarks.EVENTS)
                .stream().map(record -> record.withAggregateType(stream)).toList());

        List<Supplier<Long>> subjects = List.of(() -> slice(upcasting, old), () -> slice(upcasting, current),
                () -> slice(plain, current), () -> slice(plain, full), () -> slice(preUpcasting, full));
        List<Comparison> comparisons = List.of(
                new Comparison("upcast one step / today's revision", 0, 1),
                new Comparison("today's revision: upcasters registered / none", 1, 2),
                new Comparison("payloads with envelope: today's serializer without upcasters / serializer before "
                        + "upcasting, same bytes", 3, 4),
                new Comparison("today's revision as written today (slim) / payloads with envelope, today's "
                        + "serializer", 2, 3));
        List<List<Double>> ratios = new ArrayList<>();
        comparisons.forEach(comparison -> ratios.add(new ArrayList<>()));
        long[] nanos = new long[subjects.size()];
        for (int round = 0; round < warmupRounds + rounds; round++) {
            for (int i = 0; i < subjects.size(); i++) {
                long start = System.nanoTime();
                long balance = subjects.get(i).get();
                nanos[i] = System.nanoTime() - start;
                if (balance != (long) LOADS_PER_SLICE * (UpcastBenchmarks.EVENTS - 1)) {
                    throw new IllegalStateException("A wallet rehydrated to the wrong balance: " + balance);
                }
            }
            if (round >= warmupRounds) {
                for (int c = 0; c < comparisons.size(); c++) {
                    ratios.get(c).add((double) nanos[comparisons.get(c).ours] / nanos[comparisons.get(c).baseline]);
                }
            }
        }
        List<Ratio> result = new ArrayList<>();
        for (int c = 0; c < comparisons.size(); c++) {
            List<Double> sorted = new ArrayList<>(ratios.get(c));
            Collections.sort(sorted);
            int n = sorted.size();
            result.add(new Ratio(storeName, comparisons.get(c).label, sorted.get(n / 2), sorted.get(n / 4),
                    sorted.get(3 * n / 4), n));
        }
        return result;
    }

    private record Comparison(String label, int ours, int baseline) {
    }

    static String render(List<Ratio> ratios) {
        StringBuilder table = new StringBuilder("Issue 14, interleaved in one JVM (" + UpcastBenchmarks.EVENTS
                + " events, " + LOADS_PER_SLICE + " loads per slice)\n\n"
                + "| store | comparison | cost ratio, median of rounds | quartiles | rounds |\n"
                + "|---|---|---:|---|---:|\n");
        for (Ratio ratio : ratios) {
            table.append(String.format(Locale.ROOT, "| %s | %s | **%.3f** | %.3f to %.3f | %d |%n", ratio.store(),
                    ratio.label(), ratio.median(), ratio.firstQuartile(), ratio.thirdQuartile(), ratio.rounds()));
        }
        return table.toString();
    }

    private static long slice(Repository<Wallet> repository, String id) {
        long sum = 0;
        for (int i = 0; i < LOADS_PER_SLICE; i++) {
            sum += repository.load(id).balance();
        }
        return sum;
    }

    private static Repository<Wallet> repository(Store store, Serializer serializer) {
        return Repository.builder(Wallet.class).store(store).serializer(serializer).build();
    }
}
