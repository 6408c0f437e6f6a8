package io.trims.bench.sim.workload;

import java.util.Locale;
import java.util.SplittableRandom;

/** Independent requests (Poisson arrivals), each for a model drawn from a Zipf popularity of the given skew. */
public record ZipfWorkload(double skew) implements Workload {

    @Override
    public String name() {
        return String.format(Locale.ROOT, "zipf-%.2f", skew);
    }

    @Override
    public Trace generate(int invocations, int models, long seed) {
        Popularity popularity = new Popularity(models, skew, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5eed);
        int[] asked = new int[invocations];
        long[] at = new long[invocations];
        double t = 0;
        for (int i = 0; i < invocations; i++) {
            t += -Math.log(1 - random.nextDouble());
            at[i] = Math.round(t * 1e9);
            asked[i] = popularity.draw(random);
        }
        return new Trace(name(), String.format(Locale.ROOT, "Zipf popularity, skew %.2f, Poisson arrivals", skew),
                asked, at);
    }
}
