package dev.gatekey.bench;

import dev.gatekey.bench.LoadBenchmark.Result;
import dev.gatekey.bench.LoadBenchmark.Scenario;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The Markdown tables of a run: medians over the rounds, and differences taken within each round. */
final class Report {

    private Report() {
    }

    static String markdown(List<Scenario> scenarios, List<Result> results, int rounds, int seconds, int connections) {
        Map<String, List<Result>> by = LoadBenchmark.byScenario(results);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d rounds x %d s per scenario, %d keep-alive connections, scenarios "
                + "interleaved; medians over the rounds (min-max in brackets for CPU). CPU and allocation are the "
                + "server threads' (Tomcat and Gatekey), per request.%n%n", rounds, seconds, connections));
        out.append("| scenario | requests/s | server CPU µs/req | server CPU, cores | allocated B/req | p50 µs |"
                + " p99 µs | store queries/req | 5xx |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Scenario scenario : scenarios) {
            List<Result> rs = by.get(scenario.name());
            if (rs == null) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s: %s | %,.0f | %.1f (%.1f–%.1f) | %.2f | %,.0f | %d | %d |"
                    + " %.3f | %d |%n", scenario.name(), scenario.what(), median(rs, Result::perSecond),
                    median(rs, Result::cpuMicrosPerRequest), min(rs, Result::cpuMicrosPerRequest),
                    max(rs, Result::cpuMicrosPerRequest), median(rs, r -> r.cpuNanos() / r.seconds() / 1e9),
                    median(rs, Result::bytesPerRequest),
                    (long) median(rs, r -> r.p50Micros()), (long) median(rs, r -> r.p99Micros()),
                    median(rs, Result::storeShare), rs.stream().mapToLong(Result::errors).sum()));
        }
        out.append("\nDifferences, taken within each round, then the median over the rounds:\n\n"
                + "| figure | measured |\n|---|---:|\n");
        row(out, by, "Gatekey, cached valid key: server CPU over the unfiltered handler (µs/req)",
                "gatekey-cached", "public", Result::cpuMicrosPerRequest, "%.2f");
        row(out, by, "Gatekey, cached valid key: allocation over the unfiltered handler (B/req)",
                "gatekey-cached", "public", Result::bytesPerRequest, "%.0f");
        ratio(out, by, "Gatekey, cached valid key: throughput relative to the unfiltered handler",
                "gatekey-cached", "public");
        row(out, by, "Floor filter (header, attribute, wrapper): server CPU over the unfiltered handler (µs/req)",
                "floor", "public", Result::cpuMicrosPerRequest, "%.2f");
        row(out, by, "Floor filter: allocation over the unfiltered handler (B/req)", "floor", "public",
                Result::bytesPerRequest, "%.0f");
        row(out, by, "Gatekey, cached valid key: server CPU over the floor filter (µs/req)", "gatekey-cached", "floor",
                Result::cpuMicrosPerRequest, "%.2f");
        row(out, by, "Gatekey, cached valid key: allocation over the floor filter (B/req)", "gatekey-cached", "floor",
                Result::bytesPerRequest, "%.0f");
        row(out, by, "Gatekey, cache miss (store lookup): server CPU over the unfiltered handler (µs/req)",
                "gatekey-miss", "public", Result::cpuMicrosPerRequest, "%.1f");
        row(out, by, "Hand-written SHA-256 + SELECT: server CPU over the unfiltered handler (µs/req)",
                "handwritten-valid", "public", Result::cpuMicrosPerRequest, "%.1f");
        ratio(out, by, "Hand-written filter: throughput relative to Gatekey with a cached key",
                "handwritten-valid", "gatekey-cached");
        single(out, by, "Forged-key flood: share of Gatekey requests that reached the store", "gatekey-forged-flood",
                Result::storeShare, "%.4f");
        single(out, by, "Forged-key flood: share of hand-written requests that reached the database",
                "handwritten-forged-flood", Result::storeShare, "%.4f");
        single(out, by, "Valid cached key beside public pings: p99 µs", "valid-beside-pings", r -> r.p99Micros(),
                "%.0f");
        single(out, by, "Valid cached key beside a forged-key flood: p99 µs", "valid-beside-flood",
                r -> r.p99Micros(), "%.0f");
        return out.toString();
    }

    private static void row(StringBuilder out, Map<String, List<Result>> by, String label, String scenario,
            String baseline, ToDoubleFunction<Result> figure, String pattern) {
        List<Double> differences = new ArrayList<>();
        List<Result> a = by.getOrDefault(scenario, List.of());
        List<Result> b = by.getOrDefault(baseline, List.of());
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            differences.add(figure.applyAsDouble(a.get(i)) - figure.applyAsDouble(b.get(i)));
        }
        out.append("| ").append(label).append(" | ").append(String.format(Locale.ROOT, pattern, median(differences)))
                .append(" |\n");
    }

    private static void ratio(StringBuilder out, Map<String, List<Result>> by, String label, String scenario,
            String baseline) {
        List<Double> ratios = new ArrayList<>();
        List<Result> a = by.getOrDefault(scenario, List.of());
        List<Result> b = by.getOrDefault(baseline, List.of());
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            ratios.add(a.get(i).perSecond() / b.get(i).perSecond());
        }
        out.append("| ").append(label).append(" | ").append(String.format(Locale.ROOT, "%.2f", median(ratios)))
                .append(" |\n");
    }

    private static void single(StringBuilder out, Map<String, List<Result>> by, String label, String scenario,
            ToDoubleFunction<Result> figure, String pattern) {
        out.append("| ").append(label).append(" | ")
                .append(String.format(Locale.ROOT, pattern, median(by.getOrDefault(scenario, List.of()), figure)))
                .append(" |\n");
    }

    private static double median(List<Result> results, ToDoubleFunction<Result> figure) {
        List<Double> values = new ArrayList<>();
        results.forEach(r -> values.add(figure.applyAsDouble(r)));
        return median(values);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().min(Double::compare).orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().max(Double::compare).orElse(Double.NaN);
    }

    private static double min(List<Result> results, ToDoubleFunction<Result> figure) {
        return results.stream().mapToDouble(figure).min().orElse(Double.NaN);
    }

    private static double max(List<Result> results, ToDoubleFunction<Result> figure) {
        return Arrays.stream(results.stream().mapToDouble(figure).toArray()).max().orElse(Double.NaN);
    }
}
