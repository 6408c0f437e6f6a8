package io.trims.bench.sim;

import java.util.Arrays;

/** Mean and nearest-rank percentiles of nanosecond figures, in milliseconds. */
public final class Percentiles {

    private final long[] sorted;

    public Percentiles(long[] nanos) {
        sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    public double meanMillis() {
        return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0) / 1e6;
    }

    public double millis(double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
