package dev.eventsource.benchmarks;

import dev.eventsource.benchmarks.contender.Contender;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.List;
import java.util.Locale;

/**
 * Turns JMH's results of the issue 15 scenarios into tables: each score with JMH's error (99.9% confidence
 * interval half-width), and ratios whose error combines both scores' relative errors in quadrature.
 */
final class Issue15Table {

    private Issue15Table() {
    }

    private record Score(double value, double error) {
    }

    static String render(List<RunResult> results) {
        StringBuilder out = new StringBuilder("Issue 15, JMH\n\n");
        out.append("| scenario | with snapshots, loads/s | replay all, loads/s | speed-up | goal |\n")
                .append("|---|---:|---:|---:|---|\n");
        Score base = score(results, "SnapshotBenchmarks.loadSnapshot", "events", "100");
        for (String events : List.of("100", "1000", "10000", "100000")) {
            Score snapshot = score(results, "SnapshotBenchmarks.loadSnapshot", "events", events);
            Score replay = score(results, "SnapshotBenchmarks.loadReplay", "events", events);
            if (snapshot == null && replay == null) {
                continue;
            }
            out.append("| load ").append(events).append(" events (snapshot ")
                    .append(SnapshotFixture.EVENTS_AFTER_SNAPSHOT).append(" events old) | ").append(format(snapshot))
                    .append(" | ").append(format(replay)).append(" | ").append(ratio(snapshot, replay))
                    .append(" | ").append(events.equals("10000") ? ">= 20" : "-").append(" |\n");
        }
        out.append("\n| load with snapshot | cost / cost at 100 events | goal |\n|---|---:|---|\n");
        for (String events : List.of("1000", "10000", "100000")) {
            Score snapshot = score(results, "SnapshotBenchmarks.loadSnapshot", "events", events);
            if (snapshot != null && base != null) {
                out.append("| ").append(events).append(" events | ").append(ratio(base, snapshot))
                        .append(" | <= 2 |\n");
            }
        }
        Score applyWith = score(results, "SnapshotBenchmarks.apply1000", "snapshots", "true");
        Score applyWithout = score(results, "SnapshotBenchmarks.apply1000", "snapshots", "false");
        out.append("\n| scenario | with snapshots, commands/s | without, commands/s | speed-up | goal |\n")
                .append("|---|---:|---:|---:|---|\n")
                .append("| apply on 1,000-1,099 events | ").append(format(applyWith)).append(" | ")
                .append(format(applyWithout)).append(" | ").append(ratio(applyWith, applyWithout))
                .append(" | >= 5 |\n");

        out.append("\n| create, events/s | ours, creates = true | ours, load first | raw JDBC | Axon 4.13 "
                        + "| creates/Axon (>= 1.5) | creates/raw (>= 0.9) | load first/Axon |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String benchmark : List.of("appendNew", "appendNew4Threads")) {
            String name = "EventStoreBenchmarks." + benchmark;
            Score creates = score(results, name, "contender", Contender.OURS_CREATES);
            Score ours = score(results, name, "contender", Contender.OURS);
            Score raw = score(results, name, "contender", Contender.RAW);
            Score axon = score(results, name, "contender", Contender.AXON);
            if (creates == null && ours == null) {
                continue;
            }
            out.append("| ").append(benchmark.endsWith("4Threads") ? "4 threads" : "1 thread").append(" | ")
                    .append(format(creates)).append(" | ").append(format(ours)).append(" | ").append(format(raw))
                    .append(" | ").append(format(axon)).append(" | ").append(ratio(creates, axon)).append(" | ")
                    .append(ratio(creates, raw)).append(" | ").append(ratio(ours, axon)).append(" |\n");
        }

        out.append("\n| rehydrate, loads/s | ours | raw JDBC, slim rows | raw JDBC, payloads with envelope "
                        + "| ours/slim raw (>= 0.9) | ours/raw | B/event ours / slim raw / raw |\n")
                .append("|---|---:|---:|---:|---:|---:|---|\n");
        for (String events : List.of("10", "100", "1000")) {
            Score ours = rehydrate(results, Contender.OURS, events);
            Score slim = rehydrate(results, Contender.RAW_SLIM, events);
            Score raw = rehydrate(results, Contender.RAW, events);
            if (ours == null && slim == null) {
                continue;
            }
            out.append("| ").append(events).append(" events | ").append(format(ours)).append(" | ")
                    .append(format(slim)).append(" | ").append(format(raw)).append(" | ").append(ratio(ours, slim))
                    .append(" | ").append(ratio(ours, raw)).append(" | ")
                    .append(allocation(results, Contender.OURS, events)).append(" / ")
                    .append(allocation(results, Contender.RAW_SLIM, events)).append(" / ")
                    .append(allocation(results, Contender.RAW, events)).append(" |\n");
        }
        out.append("\nRatios: throughput of the first / of the second, above 1 means the first is faster; the cost "
                + "rows: time per load / time per load at 100 events. ± JMH's 99.9% error; a ratio's error "
                + "combines both.\n");
        return out.toString();
    }

    private static Score rehydrate(List<RunResult> results, String contender, String events) {
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().endsWith("EventStoreBenchmarks.rehydrate")
                    && contender.equals(result.getParams().getParam("contender"))
                    && events.equals(result.getParams().getParam("events"))) {
                return new Score(result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError());
            }
        }
        return null;
    }

    private static String allocation(List<RunResult> results, String contender, String events) {
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().endsWith("EventStoreBenchmarks.rehydrate")
                    && contender.equals(result.getParams().getParam("contender"))
                    && events.equals(result.getParams().getParam("events"))) {
                Result<?> norm = result.getSecondaryResults().get("gc.alloc.rate.norm");
                return norm == null ? "-" : String.format(Locale.ROOT, "%,.0f",
                        norm.getScore() / Integer.parseInt(events));
            }
        }
        return "-";
    }

    private static Score score(List<RunResult> results, String benchmark, String param, String value) {
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().endsWith(benchmark)
                    && value.equals(result.getParams().getParam(param))) {
                return new Score(result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError());
            }
        }
        return null;
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

    /** @return a / b with the combined error (relative errors in quadrature) */
    private static String ratio(Score a, Score b) {
        if (a == null || b == null || a.value == 0 || b.value == 0) {
            return "-";
        }
        double ratio = a.value / b.value;
        double relative = Math.sqrt(Math.pow(rel(a), 2) + Math.pow(rel(b), 2));
        return String.format(Locale.ROOT, "%.2f", ratio)
                + (Double.isNaN(relative) ? "" : String.format(Locale.ROOT, " ± %.2f", ratio * relative));
    }

    private static double rel(Score score) {
        return Double.isNaN(score.error) ? 0 : score.error / score.value;
    }
}
