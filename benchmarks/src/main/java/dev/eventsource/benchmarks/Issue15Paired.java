package dev.eventsource.benchmarks;

import dev.eventsource.benchmarks.contender.Contender;
import dev.eventsource.benchmarks.model.Deposit;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The comparisons of issue 15, measured in one JVM in interleaved slices, as {@link UpcastPaired} does for issue
 * 14: every round runs a slice of each subject (a few loads or commands) in a shuffled order, and each comparison
 * gives one ratio per round, of the two subjects' times per operation. Load that other processes put on a shared
 * machine changes within seconds; here it hits both sides of every ratio alike, where JMH would measure one side
 * minutes after the other. Reported: the median ratio over the rounds and its quartiles.
 */
final class Issue15Paired {

    private Issue15Paired() {
    }

    /** The snapshot intervals compared in group {@code every}. */
    private static final int[] EVERY = {10, 25, 50, 100, 200, 400, 1000};

    private static boolean runs(Set<String> groups, String group) {
        return groups.isEmpty() || groups.contains(group);
    }

    /** One comparison's per-round ratios: median and quartiles, and each side's median time per operation. */
    record Ratio(String group, String label, String goal, double median, double firstQuartile,
                 double thirdQuartile, int rounds, double oursMillis, double otherMillis) {
    }

    /** Something timed: {@code prepare} runs untimed before each slice, {@code slice} runs {@code ops} operations. */
    private record Subject(String name, int ops, Runnable prepare, Runnable slice) {
    }

    /**
     * A comparison of subject {@code ours} with subject {@code other}: with {@code cost}, time per operation of ours
     * / of the other (below 1: ours is cheaper); otherwise throughput ours / other (the other's time / ours; above
     * 1: ours is faster).
     */
    private record Comparison(String group, String label, String ours, String other, boolean cost, String goal) {
    }

    /**
     * Seeds the aggregates, then runs the rounds.
     *
     * @param dataSource the shared server's pool (at least 5 connections)
     * @param warmupRounds rounds run first and not counted
     * @param rounds counted rounds
     * @param largest the largest history with snapshots (100,000 unless the seeding would take too long)
     * @param groups the groups to run ({@code snapshots}, {@code every}, {@code create}, {@code rehydrate}); empty
     *     for all
     * @return the ratios
     */
    static List<Ratio> run(DataSource dataSource, int warmupRounds, int rounds, int largest, Set<String> groups)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        SnapshotFixture snapshots = new SnapshotFixture(dataSource);
        Map<String, Contender> contenders = new LinkedHashMap<>();
        for (String name : List.of(Contender.OURS, Contender.OURS_CREATES, Contender.RAW, Contender.RAW_SLIM,
                Contender.AXON)) {
            contenders.put(name, Contender.create(name, dataSource));
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Map<String, Subject> subjects = new LinkedHashMap<>();
            // 1. Loads with a snapshot 50 events old, and the replay of all 10,000.
            List<Integer> sizes = new ArrayList<>(List.of(100, 1_000, 10_000, 100_000));
            sizes.removeIf(size -> size > largest || !runs(groups, "snapshots"));
            for (int size : sizes) {
                String id = "paired-snap-" + size + "-" + run;
                System.out.println("# Seeding " + size + " events with a snapshot at version "
                        + (size - SnapshotFixture.EVENTS_AFTER_SNAPSHOT));
                snapshots.seed(id, size, size - SnapshotFixture.EVENTS_AFTER_SNAPSHOT);
                add(subjects, new Subject("load " + size + ", snapshot", 40, () -> { },
                        () -> loads(snapshots, true, id, 40, size)));
                if (size == 10_000) {
                    add(subjects, new Subject("load 10000, replay", 4, () -> { },
                            () -> loads(snapshots, false, id, 4, size)));
                }
            }
            // 2. A command on an account of 1,000 to 1,099 events, with and without snapshots.
            for (boolean withSnapshots : runs(groups, "snapshots") ? List.of(true, false) : List.<Boolean>of()) {
                String[] id = new String[1];
                int[] next = new int[1];
                add(subjects, new Subject("apply 1000, " + (withSnapshots ? "snapshots" : "no snapshots"), 100,
                        () -> {
                            id[0] = "paired-apply-" + withSnapshots + "-" + run + "-" + next[0]++;
                            snapshots.seed(id[0], 1000, withSnapshots ? 1000 : 0);
                        },
                        () -> {
                            for (int i = 0; i < 100; i++) {
                                (withSnapshots ? snapshots.snapshotting : snapshots.replaying)
                                        .apply(new Deposit(id[0], 1));
                            }
                        }));
            }
            // 2b. The default of every 100: commands on a growing account (from 1,000 events) with a snapshot every
            //     N events taken on the caller's thread, so each command pays its share of taking them.
            for (int every : runs(groups, "every") ? EVERY : new int[0]) {
                String id = "paired-every-" + every + "-" + run;
                snapshots.seed(id, 1000, 1000);
                var repository = snapshots.snapshottingEvery(every);
                add(subjects, new Subject("commands, every " + every, 100, () -> { }, () -> {
                    for (int i = 0; i < 100; i++) {
                        repository.apply(new Deposit(id, 1));
                    }
                }));
            }
            // 3. Creating an account through a command, 1 and 4 threads.
            for (String name : runs(groups, "create")
                    ? List.of(Contender.OURS_CREATES, Contender.OURS, Contender.RAW, Contender.AXON)
                    : List.<String>of()) {
                Contender contender = contenders.get(name);
                long[] next = new long[1];
                String prefix = "paired-create-" + name + "-" + run + "-";
                add(subjects, new Subject("create 1 thread, " + name, 100, () -> { }, () -> {
                    for (int i = 0; i < 100; i++) {
                        contender.open(prefix + next[0]++, 0);
                    }
                }));
                add(subjects, new Subject("create 4 threads, " + name, 200, () -> { }, () -> {
                    List<Future<?>> writers = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        String threadPrefix = prefix + "t" + t + "-" + next[0]++ + "-";
                        writers.add(threads.submit(() -> {
                            for (int i = 0; i < 50; i++) {
                                contender.open(threadPrefix + i, 0);
                            }
                        }));
                    }
                    for (Future<?> writer : writers) {
                        try {
                            writer.get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            // 4. Rehydrating 10, 100, 1,000 events without snapshots.
            for (int size : runs(groups, "rehydrate") ? List.of(10, 100, 1_000) : List.<Integer>of()) {
                int loads = Math.max(20, 10_000 / size);
                for (String name : List.of(Contender.OURS, Contender.RAW_SLIM, Contender.RAW)) {
                    Contender contender = contenders.get(name);
                    String id = "paired-rehydrate-" + size + "-" + name + "-" + run;
                    contender.seed(id, size);
                    add(subjects, new Subject("rehydrate " + size + ", " + name, loads, () -> { }, () -> {
                        for (int i = 0; i < loads; i++) {
                            if (contender.balance(id) != size - 1) {
                                throw new IllegalStateException(name + " rehydrated the wrong balance");
                            }
                        }
                    }));
                }
            }

            List<Comparison> comparisons = new ArrayList<>();
            comparisons.add(new Comparison("snapshots", "load 10,000 events: snapshot every 100 / replay all",
                    "load 10000, snapshot", "load 10000, replay", false, ">= 20"));
            for (int size : sizes) {
                if (size != 100) {
                    comparisons.add(new Comparison("snapshots", "load with snapshot, cost " + size
                            + " events / 100 events", "load " + size + ", snapshot", "load 100, snapshot", true,
                            "<= 2"));
                }
            }
            comparisons.add(new Comparison("snapshots", "apply on 1,000-1,099 events: snapshots / none",
                    "apply 1000, snapshots", "apply 1000, no snapshots", false, ">= 5"));
            for (int every : EVERY) {
                if (every != 100) {
                    comparisons.add(new Comparison("every", "command on a growing account, cost: snapshot every "
                            + every + " / every 100", "commands, every " + every, "commands, every 100", true, "-"));
                }
            }
            for (String threadCount : List.of("1 thread", "4 threads")) {
                String creates = "create " + threadCount + ", ";
                comparisons.add(new Comparison("create", "create, " + threadCount + ": ours (creates = true) / Axon",
                        creates + Contender.OURS_CREATES, creates + Contender.AXON, false, ">= 1.5"));
                comparisons.add(new Comparison("create", "create, " + threadCount
                        + ": ours (creates = true) / raw JDBC", creates + Contender.OURS_CREATES,
                        creates + Contender.RAW, false, ">= 0.9"));
                comparisons.add(new Comparison("create", "create, " + threadCount
                        + ": ours (creates = true) / ours (load first)", creates + Contender.OURS_CREATES,
                        creates + Contender.OURS, false, "-"));
                comparisons.add(new Comparison("create", "create, " + threadCount + ": ours (load first) / Axon",
                        creates + Contender.OURS, creates + Contender.AXON, false, "-"));
            }
            for (int size : List.of(10, 100, 1_000)) {
                String rehydrate = "rehydrate " + size + ", ";
                comparisons.add(new Comparison("rehydrate", "rehydrate " + size + ": ours / raw JDBC, slim rows",
                        rehydrate + Contender.OURS, rehydrate + Contender.RAW_SLIM, false, ">= 0.9"));
                comparisons.add(new Comparison("rehydrate", "rehydrate " + size
                        + ": ours / raw JDBC, payloads with envelope", rehydrate + Contender.OURS,
                        rehydrate + Contender.RAW, false, "-"));
            }

            comparisons.removeIf(comparison -> !runs(groups, comparison.group)
                    || !subjects.containsKey(comparison.ours) || !subjects.containsKey(comparison.other));
            List<String> order = new ArrayList<>(subjects.keySet());
            Map<String, List<Double>> nanosPerOp = new LinkedHashMap<>();
            subjects.keySet().forEach(name -> nanosPerOp.put(name, new ArrayList<>()));
            Random random = new Random(15);
            for (int round = 0; round < warmupRounds + rounds; round++) {
                Collections.shuffle(order, random);
                for (String name : order) {
                    Subject subject = subjects.get(name);
                    subject.prepare.run();
                    long start = System.nanoTime();
                    subject.slice.run();
                    long nanos = System.nanoTime() - start;
                    if (round >= warmupRounds) {
                        nanosPerOp.get(name).add((double) nanos / subject.ops);
                    }
                }
                System.out.println("# Issue 15 interleaved: round " + (round + 1) + " of " + (warmupRounds + rounds)
                        + (round < warmupRounds ? " (warm-up)" : "") + ", load average " + loadAverage());
            }

            List<Ratio> result = new ArrayList<>();
            for (Comparison comparison : comparisons) {
                List<Double> ours = nanosPerOp.get(comparison.ours);
                List<Double> other = nanosPerOp.get(comparison.other);
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < ours.size(); i++) {
                    ratios.add(comparison.cost ? ours.get(i) / other.get(i) : other.get(i) / ours.get(i));
                }
                Collections.sort(ratios);
                int n = ratios.size();
                result.add(new Ratio(comparison.group, comparison.label, comparison.goal, ratios.get(n / 2),
                        ratios.get(n / 4), ratios.get(3 * n / 4), n, median(ours) / 1e6, median(other) / 1e6));
            }
            return result;
        } finally {
            threads.shutdownNow();
            contenders.values().forEach(Contender::close);
        }
    }

    private static void add(Map<String, Subject> subjects, Subject subject) {
        subjects.put(subject.name, subject);
    }

    private static void loads(SnapshotFixture fixture, boolean withSnapshots, String id, int loads, int events) {
        for (int i = 0; i < loads; i++) {
            long balance = (withSnapshots ? fixture.snapshotting : fixture.replaying).load(id).balance();
            if (balance != events - 1) {
                throw new IllegalStateException("Loaded " + id + " with balance " + balance + ", not " + (events - 1));
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** @return the 1-minute load average, from /proc/loadavg where there is one */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }

    static String render(List<Ratio> ratios, String loadBefore, String loadAfter) {
        StringBuilder table = new StringBuilder("Issue 15, interleaved in one JVM (load average " + loadBefore
                + " before, " + loadAfter + " after)\n\n"
                + "| comparison | ratio, median of rounds | quartiles | goal | ours, ms/op | other, ms/op | rounds |\n"
                + "|---|---:|---|---|---:|---:|---:|\n");
        for (Ratio ratio : ratios) {
            table.append(String.format(Locale.ROOT, "| %s | **%.2f** | %.2f to %.2f | %s | %.3f | %.3f | %d |%n",
                    ratio.label(), ratio.median(), ratio.firstQuartile(), ratio.thirdQuartile(), ratio.goal(),
                    ratio.oursMillis(), ratio.otherMillis(), ratio.rounds()));
        }
        table.append("\nRatios: throughput ours / other (above 1: ours is faster), except \"cost\" rows: time per "
                + "load / time per load at 100 events (below 2: flat within 2x). ms/op: median over the rounds.\n");
        return table.toString();
    }
}
