package dev.eventsource.benchmarks;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of issue 14's goals from the {@link UpcastBenchmarks}: per store, each comparison as a cost ratio
 * (time of ours / time of the baseline, so 1.30 means 30% slower), with the error propagated from JMH's 99.9%
 * intervals of both scores (relative errors added in quadrature).
 */
final class UpcastTable {

    private UpcastTable() {
    }

    private record Score(double value, double error, double bytesPerEvent) {
    }

    private record Comparison(String label, String ours, String baseline, String goal) {
    }

    private static final List<Comparison> COMPARISONS = List.of(
            new Comparison("1,000 events, each upcast one step / the same in today's revision",
                    "upcastOneStep", "currentRevision", "<= 1.30"),
            new Comparison("today's revision, upcasters registered / no upcasters",
                    "currentRevision", "currentNoUpcasters", "<= 1.02"),
            new Comparison("payloads with envelope, today's serializer without upcasters / serializer before "
                    + "upcasting (7e9a6a4), same bytes", "fullPayloadsNoUpcasters", "fullPayloadsPreUpcasting",
                    "<= 1.02"),
            new Comparison("today's revision as written today (slim) / payloads with envelope, both today's "
                    + "serializer without upcasters", "currentNoUpcasters", "fullPayloadsNoUpcasters", "-"));

    static String render(List<RunResult> results) {
        Map<String, Map<String, Score>> byStore = new LinkedHashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            if (!benchmark.contains("UpcastBenchmarks.")) {
                continue;
            }
            Result<?> primary = result.getPrimaryResult();
            Result<?> norm = result.getSecondaryResults().get("gc.alloc.rate.norm");
            byStore.computeIfAbsent(result.getParams().getParam("store"), store -> new LinkedHashMap<>())
                    .put(benchmark.substring(benchmark.lastIndexOf('.') + 1), new Score(primary.getScore(),
                            primary.getScoreError(),
                            norm == null ? Double.NaN : norm.getScore() / UpcastBenchmarks.EVENTS));
        }
        if (byStore.isEmpty()) {
            return "";
        }
        StringBuilder table = new StringBuilder("Issue 14: rehydrating " + UpcastBenchmarks.EVENTS
                + " events through a Repository\n\n");
        table.append("| store | comparison | ours, loads/s | baseline, loads/s | cost ratio ours/baseline | goal "
                + "| B/event ours / baseline |\n");
        table.append("|---|---|---:|---:|---:|---|---:|\n");
        List<String> missing = new ArrayList<>();
        byStore.forEach((store, scores) -> {
            for (Comparison comparison : COMPARISONS) {
                Score ours = scores.get(comparison.ours);
                Score baseline = scores.get(comparison.baseline);
                if (ours == null || baseline == null) {
                    missing.add(store + ": " + comparison.label);
                    continue;
                }
                // Throughput: the cost ratio is baseline throughput / ours.
                double ratio = baseline.value / ours.value;
                double error = ratio * Math.hypot(ours.error / ours.value, baseline.error / baseline.value);
                table.append("| ").append(store).append(" | ").append(comparison.label)
                        .append(" | ").append(format(ours.value, ours.error))
                        .append(" | ").append(format(baseline.value, baseline.error))
                        .append(" | **").append(String.format(Locale.ROOT, "%.3f", ratio)).append("** ± ")
                        .append(String.format(Locale.ROOT, "%.3f", error))
                        .append(" | ").append(comparison.goal)
                        .append(" | ").append(String.format(Locale.ROOT, "%,.0f / %,.0f", ours.bytesPerEvent,
                                baseline.bytesPerEvent))
                        .append(" |\n");
            }
        });
        table.append("\nCost ratio: time per load of ours / of the baseline (above 1: ours is slower); its error "
                + "combines both scores' 99.9% intervals.\n");
        if (!missing.isEmpty()) {
            table.append("Not run: ").append(String.join("; ", missing)).append('\n');
        }
        return table.toString();
    }

    private static String format(double value, double error) {
        return String.format(Locale.ROOT, "%,.1f", value)
                + (Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± %,.1f", error));
    }
}
