package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.benchmarks.contender.Contender;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.subscription.Subscription;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs every scenario for every contender on one embedded PostgreSQL server and prints the tables. Arguments:
 * {@code full} (default) or {@code quick} (a smoke run), {@code include=REGEX} to run only matching benchmarks
 * ({@code include=Concurrent} runs the scenarios of issue 11 only: {@link ConcurrentAppendBenchmarks} and the
 * {@link ConcurrentScenarios}, whose names are {@code ConcurrentScenarios.slowWriter} and
 * {@code ConcurrentScenarios.subscriptionLag}), {@code contenders=ours,raw,...} to run only some contenders,
 * {@code prof=NAME} to add a JMH profiler (for example {@code stack} or {@code jfr}), {@code url=JDBC_URL} to
 * run on that PostgreSQL server instead of the embedded one (in a schema of its own, dropped at the end),
 * {@code stores=memory,jdbc} to choose the stores of the {@link UpcastBenchmarks} (issue 14; {@code include=Upcast}
 * runs only those; both stores by default; then the same comparisons interleaved in one JVM, {@link UpcastPaired},
 * named {@code dev.eventsource.benchmarks.UpcastPaired}), and the scenarios of issue 15 ({@code include=Issue15}; parts
 * {@code Issue15.create}, {@code Issue15.rehydrate}, {@code Issue15.snapshots} for JMH and {@code Issue15Paired}
 * for the same comparisons interleaved in one JVM; {@code largest=N} caps the histories with snapshots, 100,000
 * events by default; {@code paired=rehydrate} (or {@code snapshots}, {@code create}, comma-separated) runs only those
 * groups of the interleaved comparisons).
 */
public final class BenchmarkRunner {

    private BenchmarkRunner() {
    }

    /**
     * Runs the benchmarks.
     *
     * @param args see the class comment
     * @throws Exception when the server or JMH fails
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        String include = ".*";
        String givenUrl = null;
        List<String> profilers = new ArrayList<>();
        List<String> contenders = null;
        List<String> stores = null;
        int largest = 100_000;
        Set<String> paired = Set.of();
        // Maven passes -Dbench.args="quick include=..." as one argument.
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.equals("quick")) {
                quick = true;
            } else if (arg.startsWith("include=")) {
                include = arg.substring("include=".length());
            } else if (arg.startsWith("contenders=")) {
                contenders = List.of(arg.substring("contenders=".length()).split(","));
            } else if (arg.startsWith("stores=")) {
                stores = List.of(arg.substring("stores=".length()).split(","));
            } else if (arg.startsWith("prof=")) {
                profilers.add(arg.substring("prof=".length()));
            } else if (arg.startsWith("largest=")) {
                largest = Integer.parseInt(arg.substring("largest=".length()));
            } else if (arg.startsWith("paired=")) {
                paired = Set.of(arg.substring("paired=".length()).split(","));
            } else if (arg.startsWith("url=")) {
                givenUrl = arg.substring("url=".length());
            } else if (!arg.equals("full") && !arg.isBlank()) {
                throw new IllegalArgumentException("Unknown argument '" + arg + "'; use full, quick, include=REGEX,"
                        + " contenders=NAME,NAME, stores=memory,jdbc, prof=NAME, largest=EVENTS, paired=GROUP,GROUP"
                        + " or url=JDBC_URL");
            }
        }
        if (givenUrl == null && "root".equals(System.getProperty("user.name"))) {
            System.err.println("PostgreSQL refuses to run as root, so the benchmarks cannot start their database."
                    + " Run them as a normal user, for example: runuser -u eventsource -- ./mvnw -B -Pbenchmarks"
                    + " -pl benchmarks -am verify -DskipTests");
            System.exit(2);
        }
        Path out = Path.of("target");
        Files.createDirectories(out);
        EmbeddedPostgres postgres = null;
        String runSchema = null;
        try {
            String url;
            if (givenUrl == null) {
                postgres = EmbeddedPostgres.builder().start();
                url = postgres.getJdbcUrl("postgres", "postgres");
            } else {
                // A server of its own for this run would be the embedded one; on a given server, a schema of its
                // own, dropped at the end, so reruns and other users never meet this run's tables.
                runSchema = BenchDatabase.createRunSchema(givenUrl);
                url = BenchDatabase.inSchema(givenUrl, runSchema);
            }
            String server = describeServer(url, givenUrl == null ? "embedded" : "given by url=");
            System.out.println("Benchmarks on " + server + ", mode " + (quick ? "quick" : "full"));
            List<String> all = contenders != null ? contenders
                    : List.of(Contender.OURS, Contender.RAW, Contender.RAW_NO_LOCK, Contender.AXON);
            List<RunResult> results = new ArrayList<>();
            String appends = "EventStoreBenchmarks\\.append\\w*$";
            String loads = "EventStoreBenchmarks\\.(rehydrate|apply100)$";
            results.addAll(run(options(quick, url, profilers, out.resolve("jmh-appends.json"))
                    .include(both(include, appends))
                    .param("contender", all.toArray(new String[0]))));
            results.addAll(run(options(quick, url, profilers, out.resolve("jmh-loads.json"))
                    .include(both(include, loads))
                    .param("contender", all.stream()
                            .filter(name -> !name.equals(Contender.RAW_NO_LOCK)).toArray(String[]::new))));
            results.addAll(run(new OptionsBuilder()
                    .include(both(include, "StartupBenchmarks"))
                    .forks(quick ? 2 : 6).warmupIterations(0).measurementIterations(1)
                    .jvmArgsAppend("-Xms512m", "-Xmx512m", "-D" + BenchDatabase.URL_PROPERTY + "=" + url)
                    .resultFormat(ResultFormatType.JSON).result(out.resolve("jmh-startup.json").toString())));

            // Issue 14: upcasting against today's revision and the fast path against no upcasters. Two forks:
            // the goals are ratios of a few percent, so the variance between JIT runs matters.
            List<RunResult> upcastResults = new ArrayList<>();
            String filter = include;
            if (Stream.of("upcastOneStep", "currentRevision", "currentNoUpcasters", "fullPayloadsNoUpcasters",
                            "fullPayloadsPreUpcasting")
                    .anyMatch(name -> selected(filter, "dev.eventsource.benchmarks.UpcastBenchmarks." + name))) {
                List<String> upcastStores = stores != null ? stores
                        : List.of(UpcastBenchmarks.MEMORY, UpcastBenchmarks.JDBC);
                for (String store : upcastStores) {
                    upcastResults.addAll(run(options(quick, url, profilers,
                            out.resolve("jmh-upcast-" + store + ".json"))
                            .include(both(include, "UpcastBenchmarks\\.\\w+$"))
                            .forks(quick ? 1 : 2)
                            .param("store", store)));
                }
            }

            List<UpcastPaired.Ratio> pairedRatios = new ArrayList<>();
            if (selected(include, UPCAST_PAIRED)) {
                List<String> pairedStores = stores != null ? stores
                        : List.of(UpcastBenchmarks.MEMORY, UpcastBenchmarks.JDBC);
                for (String store : pairedStores) {
                    System.out.println("# Upcasting, interleaved in one JVM: " + store);
                    if (store.equals(UpcastBenchmarks.JDBC)) {
                        try (HikariDataSource pool = BenchDatabase.pool(url, 2)) {
                            JdbcStore jdbc = JdbcStore.builder(pool).tableName("upcast_paired_events").build();
                            jdbc.createSchema();
                            pairedRatios.addAll(UpcastPaired.run(store, jdbc, quick ? 5 : 10, quick ? 10 : 30));
                        }
                    } else {
                        pairedRatios.addAll(UpcastPaired.run(store, new MemoryStore(), quick ? 10 : 30,
                                quick ? 20 : 60));
                    }
                }
            }

            // Issue 15: snapshots, creates without a load, rehydrating slim payloads against a slim raw floor.
            List<RunResult> issue15Results = new ArrayList<>();
            if (selected(include, ISSUE15 + ".create")) {
                issue15Results.addAll(run(options(quick, url, profilers, out.resolve("jmh-issue15-create.json"))
                        .include("EventStoreBenchmarks\\.appendNew(4Threads)?$")
                        .param("contender", Contender.OURS_CREATES, Contender.OURS, Contender.RAW, Contender.AXON)));
            }
            if (selected(include, ISSUE15 + ".rehydrate")) {
                issue15Results.addAll(run(options(quick, url, profilers, out.resolve("jmh-issue15-rehydrate.json"))
                        .include("EventStoreBenchmarks\\.rehydrate$")
                        .param("contender", Contender.OURS, Contender.RAW_SLIM, Contender.RAW)
                        .param("events", "10", "100", "1000")));
            }
            if (selected(include, ISSUE15 + ".snapshots")) {
                int cap = largest;
                String[] sizes = Stream.of("100", "1000", "10000", "100000")
                        .filter(size -> Integer.parseInt(size) <= cap).toArray(String[]::new);
                issue15Results.addAll(run(options(quick, url, profilers, out.resolve("jmh-issue15-snapshots.json"))
                        .include("SnapshotBenchmarks\\.(loadSnapshot|apply1000)$")
                        .param("events", sizes)));
                issue15Results.addAll(run(options(quick, url, profilers, out.resolve("jmh-issue15-replay.json"))
                        .include("SnapshotBenchmarks\\.loadReplay$")
                        .param("events", "10000")));
            }
            List<Issue15Paired.Ratio> issue15Ratios = new ArrayList<>();
            String loadBefore = Issue15Paired.loadAverage();
            if (selected(include, ISSUE15_PAIRED)) {
                System.out.println("# Issue 15, interleaved in one JVM");
                try (HikariDataSource pool = BenchDatabase.pool(url, BenchDatabase.POOL_SIZE)) {
                    issue15Ratios.addAll(Issue15Paired.run(pool, quick ? 3 : 5, quick ? 8 : 30, largest, paired));
                }
            }
            String loadAfter = Issue15Paired.loadAverage();

            // Issue 11: concurrent appends at 1 to 16 writers, the slow writer, the subscription lag.
            List<String> concurrent = contenders != null ? contenders
                    : List.of(Contender.OURS, Contender.RAW_NO_LOCK, Contender.AXON);
            List<RunResult> concurrentResults = new ArrayList<>();
            for (int writers : WRITER_COUNTS) {
                concurrentResults.addAll(run(options(quick, url, profilers,
                        out.resolve("jmh-concurrent-" + writers + ".json"))
                        .include(both(include, "ConcurrentAppendBenchmarks\\.appendNew$"))
                        .threads(writers)
                        .param("contender", concurrent.toArray(new String[0]))));
            }
            List<ConcurrentScenarios.SlowWriter> slowWriters = new ArrayList<>();
            if (selected(include, SLOW_WRITER)) {
                for (String contender : concurrent) {
                    if (!contender.equals(Contender.AXON)) {
                        System.out.println("# Slow writer: " + contender);
                        slowWriters.add(ConcurrentScenarios.slowWriter(url, contender));
                    }
                }
            }
            List<ConcurrentScenarios.Lag> lags = new ArrayList<>();
            if (selected(include, SUBSCRIPTION_LAG) && concurrent.contains(Contender.OURS)) {
                System.out.println("# Subscription lag");
                lags.add(ConcurrentScenarios.subscriptionLag(url, LAG_RATE, Duration.ofSeconds(LAG_SECONDS),
                        Subscription.Builder.DEFAULT_POLL_INTERVAL, true));
                lags.add(ConcurrentScenarios.subscriptionLag(url, LAG_RATE, Duration.ofSeconds(LAG_SECONDS),
                        Duration.ofMillis(100), false));
            }

            String header = "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, JDK "
                    + System.getProperty("java.version") + ", " + server + "; mode " + (quick ? "quick" : "full")
                    + "\n\n";
            StringBuilder tables = new StringBuilder(header);
            if (!results.isEmpty()) {
                tables.append(ResultTable.render(results)).append('\n');
            }
            if (!upcastResults.isEmpty()) {
                tables.append(UpcastTable.render(upcastResults)).append('\n');
            }
            if (!pairedRatios.isEmpty()) {
                tables.append(UpcastPaired.render(pairedRatios)).append('\n');
            }
            if (!issue15Results.isEmpty()) {
                tables.append(Issue15Table.render(issue15Results)).append('\n');
            }
            if (!issue15Ratios.isEmpty()) {
                tables.append(Issue15Paired.render(issue15Ratios, loadBefore, loadAfter)).append('\n');
            }
            tables.append(ConcurrentTable.render(concurrentResults, slowWriters, lags));
            System.out.println();
            System.out.println(tables);
            Files.writeString(out.resolve("benchmark-table.md"), tables);
        } finally {
            if (postgres != null) {
                postgres.close();
            }
            if (runSchema != null) {
                BenchDatabase.dropRunSchema(givenUrl, runSchema);
            }
        }
    }

    private static final int[] WRITER_COUNTS = {1, 4, 8, 16};
    /** The names {@code include=} matches for the two scenarios that are not JMH benchmarks. */
    private static final String SLOW_WRITER = "dev.eventsource.benchmarks.ConcurrentScenarios.slowWriter";
    private static final String UPCAST_PAIRED = "dev.eventsource.benchmarks.UpcastPaired";
    /** The names {@code include=} matches for the issue 15 groups: JMH's (with a suffix) and the interleaved. */
    private static final String ISSUE15 = "dev.eventsource.benchmarks.Issue15";
    private static final String ISSUE15_PAIRED = "dev.eventsource.benchmarks.Issue15Paired";
    private static final String SUBSCRIPTION_LAG = "dev.eventsource.benchmarks.ConcurrentScenarios.subscriptionLag";
    /** The steady append rate of the lag scenario, events per second of all writers, and its measured time. */
    private static final int LAG_RATE = 200;
    private static final int LAG_SECONDS = 5;

    private static boolean selected(String include, String scenario) {
        return Pattern.compile(include).matcher(scenario).find();
    }

    /** JMH ORs its includes; this pattern matches names that match both. */
    private static String both(String filter, String scenarios) {
        return "^(?=.*(?:" + filter + ")).*" + scenarios;
    }

    private static List<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        try {
            return new ArrayList<>(new Runner(options.build()).run());
        } catch (NoBenchmarksException e) {
            // include= filtered this group out
            return List.of();
        }
    }

    private static ChainedOptionsBuilder options(boolean quick, String url, List<String> profilers, Path json) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(1)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .timeUnit(TimeUnit.SECONDS)
                .shouldFailOnError(true)
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-Xms1g", "-Xmx1g", "-D" + BenchDatabase.URL_PROPERTY + "=" + url)
                .resultFormat(ResultFormatType.JSON).result(json.toString());
        for (String profiler : profilers) {
            int colon = profiler.indexOf(':');
            if (colon < 0) {
                options.addProfiler(profiler);
            } else {
                options.addProfiler(profiler.substring(0, colon), profiler.substring(colon + 1));
            }
        }
        return options;
    }

    private static String describeServer(String url, String origin) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            return "PostgreSQL " + show(statement, "server_version").toLowerCase(Locale.ROOT).split(" ")[0]
                    + " (" + origin + "; fsync " + show(statement, "fsync") + ", synchronous_commit "
                    + show(statement, "synchronous_commit") + ")";
        }
    }

    private static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SHOW " + setting)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
