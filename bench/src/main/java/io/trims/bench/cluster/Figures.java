package io.trims.bench.cluster;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The numbers the report prints, computed from a system's outcomes. Percentiles are nearest-rank. */
public final class Figures {

    /** The tiers a response can name, fastest first. */
    public static final List<String> TIERS = List.of("gpu", "cpu", "disk", "remote");

    private Figures() {
    }

    /** Latencies (arrival to last byte, ms) of the successful requests that {@code which} selects, sorted. */
    public static double[] latencies(SystemResult result, Predicate<Outcome> which) {
        return result.outcomes().stream().filter(Outcome::ok).filter(which).mapToDouble(Outcome::latencyMs).sorted()
                .toArray();
    }

    /** The {@code q} quantile (0..1) of sorted values, NaN when there are none. */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** Successful requests per second of the measured window. */
    public static double throughput(SystemResult result) {
        return result.measureSeconds() > 0 ? result.ok() / result.measureSeconds() : Double.NaN;
    }

    /** The share of successful requests served from each tier (the {@code trims-tier} header). */
    public static Map<String, Double> tierShares(SystemResult result) {
        Map<String, Double> shares = new TreeMap<>();
        long ok = result.ok();
        for (String tier : TIERS) {
            long n = result.outcomes().stream().filter(Outcome::ok).filter(o -> tier.equals(o.tier())).count();
            shares.put(tier, ok == 0 ? Double.NaN : (double) n / ok);
        }
        return shares;
    }

    /**
     * |measured − predicted| / measured of each successful request that carried a {@code trims-predicted-ms}
     * header, measured from send to last byte (what the front door can see), sorted; empty when none did.
     */
    public static double[] predictionErrors(SystemResult result) {
        return result.outcomes().stream().filter(Outcome::ok).filter(o -> !Double.isNaN(o.predictedMs()))
                .mapToDouble(o -> Math.abs(o.serviceMs() - o.predictedMs()) / o.serviceMs()).sorted().toArray();
    }

    /** Median latency of {@code numerator} over that of {@code denominator}, on the requests {@code which} selects. */
    public static double medianRatio(SystemResult numerator, SystemResult denominator, Predicate<Outcome> which) {
        return quantile(latencies(numerator, which), 0.5) / quantile(latencies(denominator, which), 0.5);
    }
}
