package dev.eventsource.benchmarks;

import dev.eventsource.benchmarks.contender.Contender;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's results into the one table of issue 6: a row per scenario with ours, raw JDBC and Axon, the ratios
 * (throughput ours / throughput other, so above 1 means we are faster; for time and allocation, other / ours,
 * with the same meaning) and JMH's error (99.9% confidence interval half-width).
 */
final class ResultTable {

    private ResultTable() {
    }

    private record Score(double value, double error) {
        Score times(double factor) {
            return new Score(value * factor, error * factor);
        }
    }

    private record Row(String scenario, String unit, boolean higherIsBetter, Map<String, Score> scores) {
    }

    static String render(List<RunResult> results) {
        Map<String, Row> rows = new LinkedHashMap<>();
        add(rows, results, "appendNew", "append 1 event, new aggregate, 1 thread", "events/s", 1);
        add(rows, results, "appendNew4Threads", "append 1 event, new aggregate, 4 threads", "events/s", 1);
        add(rows, results, "appendExisting", "append 1 event, existing aggregate (1-10 events), 1 thread",
                "events/s", 1);
        add(rows, results, "appendExisting4Threads",
                "append 1 event, existing aggregate (1-10 events), 4 threads", "events/s", 1);
        add(rows, results, "appendBatch10", "append 10 events (one command), new aggregate", "events/s", 10);
        for (String events : List.of("10", "100", "1000", "10000")) {
            add(rows, results, "rehydrate", "rehydrate " + events + " events", "loads/s", 1, events);
        }
        add(rows, results, "apply100", "apply: load, handle, append on 100-109 events", "commands/s", 1);
        for (String events : List.of("10", "100", "1000", "10000")) {
            addAllocation(rows, results, events);
        }
        addStartup(rows, results);

        StringBuilder table = new StringBuilder();
        table.append("| scenario | unit | ours | raw JDBC | Axon 4.13 | ours/raw | ours/Axon | raw JDBC, no lock |\n");
        table.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows.values()) {
            Score ours = row.scores.get(Contender.OURS);
            Score raw = row.scores.get(Contender.RAW);
            Score axon = row.scores.get(Contender.AXON);
            table.append("| ").append(row.scenario).append(" | ").append(row.unit)
                    .append(" | ").append(format(ours))
                    .append(" | ").append(format(raw))
                    .append(" | ").append(format(axon))
                    .append(" | ").append(ratio(ours, raw, row.higherIsBetter))
                    .append(" | ").append(ratio(ours, axon, row.higherIsBetter))
                    .append(" | ").append(format(row.scores.get(Contender.RAW_NO_LOCK)))
                    .append(" |\n");
        }
        table.append("\nRatios: above 1 means ours is faster (or allocates less); JMH's error (99.9% CI) after ±.\n");
        return table.toString();
    }

    private static void add(Map<String, Row> rows, List<RunResult> results, String benchmark, String scenario,
                            String unit, double eventsPerOp) {
        add(rows, results, benchmark, scenario, unit, eventsPerOp, null);
    }

    private static void add(Map<String, Row> rows, List<RunResult> results, String benchmark, String scenario,
                            String unit, double eventsPerOp, String events) {
        Map<String, Score> scores = new LinkedHashMap<>();
        for (RunResult result : results) {
            if (matches(result, "EventStoreBenchmarks." + benchmark, events)) {
                Result<?> primary = result.getPrimaryResult();
                scores.put(result.getParams().getParam("contender"),
                        new Score(primary.getScore(), primary.getScoreError()).times(eventsPerOp));
            }
        }
        if (!scores.isEmpty()) {
            rows.put(scenario, new Row(scenario, unit, true, scores));
        }
    }

    private static void addAllocation(Map<String, Row> rows, List<RunResult> results, String events) {
        Map<String, Score> scores = new LinkedHashMap<>();
        for (RunResult result : results) {
            if (matches(result, "EventStoreBenchmarks.rehydrate", events)) {
                Result<?> norm = result.getSecondaryResults().get("gc.alloc.rate.norm");
                if (norm != null) {
                    scores.put(result.getParams().getParam("contender"),
                            new Score(norm.getScore(), norm.getScoreError()).times(1.0 / Integer.parseInt(events)));
                }
            }
        }
        if (!scores.isEmpty()) {
            String scenario = "allocation per rehydrated event, " + events + " events";
            rows.put(scenario, new Row(scenario, "B/event", false, scores));
        }
    }

    private static void addStartup(Map<String, Row> rows, List<RunResult> results) {
        Map<String, Score> scores = new LinkedHashMap<>();
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().endsWith("StartupBenchmarks.start")) {
                Result<?> primary = result.getPrimaryResult();
                // The bare application takes the raw column: it is the floor the starter is measured against.
                scores.put(result.getParams().getParam("app").equals("starter") ? Contender.OURS : Contender.RAW,
                        new Score(primary.getScore(), primary.getScoreError()));
            }
        }
        if (!scores.isEmpty()) {
            String scenario = "start-up: starter app (ours) vs bare Spring Boot app (raw column), cold JVM";
            rows.put(scenario, new Row(scenario, "ms", false, scores));
        }
    }

    private static boolean matches(RunResult result, String benchmark, String events) {
        return result.getParams().getBenchmark().endsWith(benchmark)
                && (events == null || events.equals(result.getParams().getParam("events")));
    }

    private static String format(Score score) {
        if (score == null) {
            return "-";
        }
        return number(score.value) + (Double.isNaN(score.error) ? "" : " ± " + number(score.error));
    }

    private static String number(double value) {
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String ratio(Score ours, Score other, boolean higherIsBetter) {
        if (ours == null || other == null || ours.value == 0 || other.value == 0) {
            return "-";
        }
        double ratio = higherIsBetter ? ours.value / other.value : other.value / ours.value;
        return String.format(Locale.ROOT, "%.2f", ratio);
    }
}
