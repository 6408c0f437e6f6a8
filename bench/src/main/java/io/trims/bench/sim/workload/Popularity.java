package io.trims.bench.sim.workload;

import java.util.Arrays;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Zipf popularity over a catalogue: the model of rank {@code k} is asked for in proportion to {@code 1 / k^skew}.
 * Ranks are dealt to models at random, so popularity is independent of size and run time.
 */
public final class Popularity {

    private final double[] weight;
    /** Cumulative weight in model order, for drawing by binary search. */
    private final double[] cumulative;

    public Popularity(int models, double skew, long seed) {
        if (models < 1 || skew < 0) {
            throw new IllegalArgumentException("Zipf needs at least one model and a skew of 0 or more");
        }
        int[] rankOf = shuffledRanks(models, new Random(seed));
        weight = new double[models];
        double sum = 0;
        for (int m = 0; m < models; m++) {
            weight[m] = 1 / Math.pow(rankOf[m] + 1, skew);
            sum += weight[m];
        }
        cumulative = new double[models];
        double running = 0;
        for (int m = 0; m < models; m++) {
            weight[m] /= sum;
            running += weight[m];
            cumulative[m] = running;
        }
    }

    public int models() {
        return weight.length;
    }

    /** The share of requests that go to model {@code m}; the shares sum to 1. */
    public double weight(int m) {
        return weight[m];
    }

    public int draw(RandomGenerator random) {
        int at = Arrays.binarySearch(cumulative, random.nextDouble() * cumulative[cumulative.length - 1]);
        return Math.min(at >= 0 ? at : -at - 1, weight.length - 1);
    }

    private static int[] shuffledRanks(int models, Random random) {
        int[] ranks = new int[models];
        for (int i = 0; i < models; i++) {
            ranks[i] = i;
        }
        for (int i = models - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = ranks[i];
            ranks[i] = ranks[j];
            ranks[j] = t;
        }
        return ranks;
    }
}
