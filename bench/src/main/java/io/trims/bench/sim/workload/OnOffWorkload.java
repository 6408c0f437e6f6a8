package io.trims.bench.sim.workload;

import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Bursty requests: each model alternates between on and off periods (exponentially long), asked for only while on
 * and then at its Zipf share divided by the duty cycle, so that over the whole trace its share is still Zipf. A model
 * is hot for a while and then silent, which rewards recency and punishes frequency counts that outlive a burst.
 *
 * @param duty   the fraction of time a model is on
 * @param bursts the mean number of on periods per model over the trace
 */
public record OnOffWorkload(double skew, double duty, double bursts) implements Workload {

    public OnOffWorkload {
        if (duty <= 0 || duty > 1 || bursts <= 0) {
            throw new IllegalArgumentException("duty cycle in (0, 1] and a positive number of bursts");
        }
    }

    @Override
    public String name() {
        return "bursty";
    }

    @Override
    public Trace generate(int invocations, int models, long seed) {
        Popularity popularity = new Popularity(models, skew, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0xb0b);
        // On the nominal scale requests arrive at 1 per second, so the trace is about `invocations` seconds long.
        double span = invocations;
        double meanOn = span * duty / bursts;
        double meanOff = span * (1 - duty) / bursts;
        double horizon = 10 * span;
        double[] onUntil = new double[models];
        double[] rateOn = new double[models];
        PriorityQueue<double[]> next = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        for (int m = 0; m < models; m++) {
            rateOn[m] = popularity.weight(m) / duty;
            double start = random.nextDouble() < duty ? 0 : exp(random, meanOff);
            onUntil[m] = start + exp(random, meanOn);
            double first = arrival(m, start, onUntil, rateOn, meanOn, meanOff, horizon, random);
            if (first < horizon) {
                next.add(new double[]{first, m});
            }
        }
        int[] asked = new int[invocations];
        long[] at = new long[invocations];
        int n = 0;
        while (n < invocations && !next.isEmpty()) {
            double[] e = next.poll();
            int m = (int) e[1];
            asked[n] = m;
            at[n++] = Math.round(e[0] * 1e9);
            double after = arrival(m, e[0], onUntil, rateOn, meanOn, meanOff, horizon, random);
            if (after < horizon) {
                next.add(new double[]{after, m});
            }
        }
        return new Trace(name(), String.format(Locale.ROOT, "on/off bursts per model: Zipf %.2f shares, on %.0f%% "
                + "of the time, %.0f bursts per model over the trace", skew, 100 * duty, bursts),
                java.util.Arrays.copyOf(asked, n), java.util.Arrays.copyOf(at, n));
    }

    /** The model's next request after {@code t}, skipping off periods (and starting new on periods) as needed. */
    private static double arrival(int m, double t, double[] onUntil, double[] rateOn, double meanOn, double meanOff,
                                  double horizon, SplittableRandom random) {
        while (t < horizon) {
            if (t < onUntil[m]) {
                double candidate = t + exp(random, 1 / rateOn[m]);
                if (candidate < onUntil[m]) {
                    return candidate;
                }
                t = onUntil[m];
            }
            t += exp(random, meanOff);
            onUntil[m] = t + exp(random, meanOn);
        }
        return Double.POSITIVE_INFINITY;
    }

    private static double exp(SplittableRandom random, double mean) {
        return -Math.log(1 - random.nextDouble()) * mean;
    }
}
