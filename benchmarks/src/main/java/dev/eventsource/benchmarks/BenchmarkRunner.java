package dev.eventsource.benchmarks;

import dev.eventsource.benchmarks.contender.Contender;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs every scenario for every contender on one embedded PostgreSQL server and prints one table. Arguments:
 * {@code full} (default) or {@code quick} (a smoke run), {@code include=REGEX} to run only matching benchmarks,
 * {@code contenders=ours,raw,...} to run only some contenders, {@code prof=NAME} to add a JMH profiler (for
 * example {@code stack} or {@code jfr}).
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
        if ("root".equals(System.getProperty("user.name"))) {
            System.err.println("PostgreSQL refuses to run as root, so the benchmarks cannot start their database."
                    + " Run them as a normal user, for example: runuser -u eventsource -- ./mvnw -B -Pbenchmarks"
                    + " -pl benchmarks -am verify -DskipTests");
            System.exit(2);
        }
        boolean quick = false;
        String include = ".*";
        List<String> profilers = new ArrayList<>();
        List<String> contenders = List.of(Contender.OURS, Contender.RAW, Contender.RAW_NO_LOCK, Contender.AXON);
        // Maven passes -Dbench.args="quick include=..." as one argument.
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.equals("quick")) {
                quick = true;
            } else if (arg.startsWith("include=")) {
                include = arg.substring("include=".length());
            } else if (arg.startsWith("contenders=")) {
                contenders = List.of(arg.substring("contenders=".length()).split(","));
            } else if (arg.startsWith("prof=")) {
                profilers.add(arg.substring("prof=".length()));
            } else if (!arg.equals("full") && !arg.isBlank()) {
                throw new IllegalArgumentException("Unknown argument '" + arg + "'; use full, quick, include=REGEX,"
                        + " contenders=NAME,NAME or prof=NAME");
            }
        }
        Path out = Path.of("target");
        Files.createDirectories(out);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            String serverVersion = serverVersion(postgres);
            System.out.println("Benchmarks on " + serverVersion + ", mode " + (quick ? "quick" : "full"));
            List<RunResult> results = new ArrayList<>();
            String appends = "EventStoreBenchmarks\\.append\\w*$";
            String loads = "EventStoreBenchmarks\\.(rehydrate|apply100)$";
            results.addAll(run(options(quick, url, profilers, out.resolve("jmh-appends.json"))
                    .include(both(include, appends))
                    .param("contender", contenders.toArray(new String[0]))));
            results.addAll(run(options(quick, url, profilers, out.resolve("jmh-loads.json"))
                    .include(both(include, loads))
                    .param("contender", contenders.stream()
                            .filter(name -> !name.equals(Contender.RAW_NO_LOCK)).toArray(String[]::new))));
            results.addAll(run(new OptionsBuilder()
                    .include(both(include, "StartupBenchmarks"))
                    .forks(quick ? 2 : 6).warmupIterations(0).measurementIterations(1)
                    .jvmArgsAppend("-Xms512m", "-Xmx512m", "-D" + BenchDatabase.URL_PROPERTY + "=" + url)
                    .resultFormat(ResultFormatType.JSON).result(out.resolve("jmh-startup.json").toString())));
            String table = ResultTable.render(results);
            String header = "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, JDK "
                    + System.getProperty("java.version") + ", " + serverVersion + "; mode " + (quick ? "quick" : "full")
                    + "\n\n";
            System.out.println();
            System.out.println(header + table);
            Files.writeString(out.resolve("benchmark-table.md"), header + table);
        }
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

    private static String serverVersion(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW server_version")) {
            rows.next();
            return "PostgreSQL " + rows.getString(1).toLowerCase(Locale.ROOT).split(" ")[0];
        } catch (RuntimeException e) {
            throw new IllegalStateException(e);
        }
    }

}
