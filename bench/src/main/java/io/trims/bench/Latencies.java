package io.trims.bench;

import java.util.Arrays;

/** Median, 90th percentile (nearest rank) and mean of a set of latencies in milliseconds. */
record Latencies(double median, double p90, double mean, int count) {

    static Latencies of(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double p90 = sorted[(int) Math.ceil(0.9 * n) - 1];
        return new Latencies(median, p90, Arrays.stream(sorted).average().orElse(Double.NaN), n);
    }
}
