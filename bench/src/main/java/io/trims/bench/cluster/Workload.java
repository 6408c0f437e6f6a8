package io.trims.bench.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An open-loop arrival sequence, drawn once from a seed and replayed on every system: Poisson arrivals at a fixed
 * mean rate for a fixed duration, each for a model drawn from a Zipf distribution over the models' ranks (rank
 * r has weight 1 / r^s). The same seed gives the same sequence on every machine.
 */
public record Workload(List<Arrival> arrivals, double rate, double seconds, double zipf, long seed) {

    /** One request: when it is due (nanoseconds from the start) and which model (its rank, 0 the most popular). */
    public record Arrival(long offsetNanos, int model) {}

    public Workload {
        arrivals = List.copyOf(arrivals);
    }

    public static Workload poisson(double rate, double seconds, int models, double zipf, long seed) {
        if (rate <= 0 || seconds <= 0 || models < 1) {
            throw new IllegalArgumentException("rate, duration and model count must be positive");
        }
        double[] cumulative = zipfCumulative(models, zipf);
        SplittableRandom random = new SplittableRandom(seed);
        List<Arrival> arrivals = new ArrayList<>();
        double t = 0;
        while (true) {
            t += -Math.log(1 - random.nextDouble()) / rate;
            if (t >= seconds) {
                break;
            }
            arrivals.add(new Arrival(Math.round(t * 1e9), rankOf(cumulative, random.nextDouble())));
        }
        return new Workload(arrivals, rate, seconds, zipf, seed);
    }

    /**
     * A fixed arrival rate: request i is due at i / rate seconds, for model i mod {@code models}; the same load
     * every second, so a latency percentile is not an artefact of a burst.
     */
    public static Workload fixedRate(double rate, double seconds, int models) {
        if (rate <= 0 || seconds <= 0 || models < 1) {
            throw new IllegalArgumentException("rate, duration and model count must be positive");
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (long i = 0; i < rate * seconds; i++) {
            arrivals.add(new Arrival(Math.round(i * 1e9 / rate), (int) (i % models)));
        }
        return new Workload(arrivals, rate, seconds, 0, 0);
    }

    /** The share of requests each rank gets in expectation. */
    public static double[] zipfShares(int models, double zipf) {
        double[] shares = new double[models];
        double sum = 0;
        for (int r = 0; r < models; r++) {
            shares[r] = 1 / Math.pow(r + 1, zipf);
            sum += shares[r];
        }
        for (int r = 0; r < models; r++) {
            shares[r] /= sum;
        }
        return shares;
    }

    /** How many arrivals ask for rank {@code model}. */
    public long count(int model) {
        return arrivals.stream().filter(a -> a.model() == model).count();
    }

    private static double[] zipfCumulative(int models, double zipf) {
        double[] shares = zipfShares(models, zipf);
        double[] cumulative = new double[models];
        double sum = 0;
        for (int r = 0; r < models; r++) {
            sum += shares[r];
            cumulative[r] = sum;
        }
        cumulative[models - 1] = 1;
        return cumulative;
    }

    private static int rankOf(double[] cumulative, double u) {
        for (int r = 0; r < cumulative.length; r++) {
            if (u < cumulative[r]) {
                return r;
            }
        }
        return cumulative.length - 1;
    }
}
