package io.trims.bench.sim.workload;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Days of traffic: model {@code m} is asked for at its Zipf share times {@code 1 + amplitude × sin(2πt/day + phase_m)},
 * with phases drawn within a quarter of a day (users in neighbouring time zones). The total load swings over the day
 * and the hot set drifts with it. Drawn by thinning a Poisson stream at the peak rate.
 *
 * @param days      days the trace spans
 * @param amplitude relative swing of each model's rate, in [0, 1]
 */
public record DiurnalWorkload(double skew, double days, double amplitude) implements Workload {

    public DiurnalWorkload {
        if (days <= 0 || amplitude < 0 || amplitude > 1) {
            throw new IllegalArgumentException("a positive number of days and an amplitude in [0, 1]");
        }
    }

    @Override
    public String name() {
        return "diurnal";
    }

    @Override
    public Trace generate(int invocations, int models, long seed) {
        Popularity popularity = new Popularity(models, skew, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0xd1a);
        double[] phase = new double[models];
        for (int m = 0; m < models; m++) {
            phase[m] = random.nextDouble() * Math.PI / 2;
        }
        // Nominal scale: 1 request per second on average, so a day is invocations / days seconds.
        double day = invocations / days;
        int[] asked = new int[invocations];
        long[] at = new long[invocations];
        double t = 0;
        int n = 0;
        while (n < invocations) {
            t += -Math.log(1 - random.nextDouble()) / (1 + amplitude);
            int m = popularity.draw(random);
            double rate = 1 + amplitude * Math.sin(2 * Math.PI * t / day + phase[m]);
            if (random.nextDouble() * (1 + amplitude) < rate) {
                asked[n] = m;
                at[n++] = Math.round(t * 1e9);
            }
        }
        return new Trace(name(), String.format(Locale.ROOT, "diurnal: Zipf %.2f shares, %.0f days, each model's rate "
                + "swings by %.0f%% with a phase within a quarter day", skew, days, 100 * amplitude), asked, at);
    }
}
