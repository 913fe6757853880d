package dev.eventsource.benchmarks;

import dev.eventsource.benchmarks.contender.Contender;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tables of issue 11: concurrent appends per writer count (with ours / raw JDBC without lock, the floor, and
 * ours / Axon), the slow writer, and the subscription lag.
 */
final class ConcurrentTable {

    private ConcurrentTable() {
    }

    static String render(List<RunResult> appends, List<ConcurrentScenarios.SlowWriter> slowWriters,
                         List<ConcurrentScenarios.Lag> lags) {
        StringBuilder out = new StringBuilder();
        if (!appends.isEmpty()) {
            Map<Integer, Map<String, Result<?>>> byThreads = new TreeMap<>();
            for (RunResult result : appends) {
                byThreads.computeIfAbsent(result.getParams().getThreads(), t -> new TreeMap<>())
                        .put(result.getParams().getParam("contender"), result.getPrimaryResult());
            }
            out.append("Concurrent appends: 1 event on a new aggregate per command, events/s of all writers together\n\n");
            out.append("| writers | ours | raw JDBC, no lock | Axon 4.13 | ours/raw | ours/Axon | raw JDBC, with lock |\n");
            out.append("|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<Integer, Map<String, Result<?>>> row : byThreads.entrySet()) {
                Result<?> ours = row.getValue().get(Contender.OURS);
                Result<?> raw = row.getValue().get(Contender.RAW_NO_LOCK);
                Result<?> axon = row.getValue().get(Contender.AXON);
                out.append("| ").append(row.getKey())
                        .append(" | ").append(format(ours))
                        .append(" | ").append(format(raw))
                        .append(" | ").append(format(axon))
                        .append(" | ").append(ratio(ours, raw))
                        .append(" | ").append(ratio(ours, axon))
                        .append(" | ").append(format(row.getValue().get(Contender.RAW)))
                        .append(" |\n");
            }
            out.append('\n');
        }
        if (!slowWriters.isEmpty()) {
            out.append("Slow writer: ").append(ConcurrentScenarios.WRITERS)
                    .append(" writers' appends while a fifth holds an appending transaction open for ")
                    .append(ConcurrentScenarios.WINDOW_SECONDS).append(" s\n\n");
            out.append("| contender | undisturbed (before / after), events/s | during the open transaction,"
                    + " events/s | kept |\n");
            out.append("|---|---:|---:|---:|\n");
            for (ConcurrentScenarios.SlowWriter slow : slowWriters) {
                out.append("| ").append(name(slow.contender()))
                        .append(" | ").append(number(slow.baselinePerSecond())).append(" (")
                        .append(number(slow.beforePerSecond())).append(" / ")
                        .append(number(slow.afterPerSecond())).append(")")
                        .append(" | ").append(number(slow.duringPerSecond()))
                        .append(" | ").append(String.format(Locale.ROOT, "%.0f %%", 100 * slow.kept()))
                        .append(" |\n");
            }
            out.append('\n');
        }
        if (!lags.isEmpty()) {
            out.append("Subscription lag (ours): time from an event's at() to its handling, ")
                    .append(ConcurrentScenarios.WRITERS).append(" writers at a steady rate\n\n");
            out.append("| subscription | events/s | events | p50 ms | p99 ms | max ms |\n");
            out.append("|---|---:|---:|---:|---:|---:|\n");
            for (ConcurrentScenarios.Lag lag : lags) {
                out.append("| ").append(lag.configuration())
                        .append(" | ").append(number(lag.appendedPerSecond()))
                        .append(" | ").append(lag.events())
                        .append(" | ").append(number(lag.p50Millis()))
                        .append(" | ").append(number(lag.p99Millis()))
                        .append(" | ").append(number(lag.maxMillis()))
                        .append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String name(String contender) {
        return switch (contender) {
            case Contender.OURS -> "ours";
            case Contender.RAW_NO_LOCK -> "raw JDBC, no lock";
            case Contender.RAW -> "raw JDBC, with lock";
            case Contender.AXON -> "Axon 4.13";
            default -> contender;
        };
    }

    private static String format(Result<?> result) {
        if (result == null) {
            return "-";
        }
        return number(result.getScore())
                + (Double.isNaN(result.getScoreError()) ? "" : " ± " + number(result.getScoreError()));
    }

    private static String number(double value) {
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String ratio(Result<?> ours, Result<?> other) {
        if (ours == null || other == null || ours.getScore() == 0 || other.getScore() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", ours.getScore() / other.getScore());
    }
}
