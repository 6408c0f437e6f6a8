package io.trims.bench;

import java.util.Arrays;

/** Wall-clock timing of blocking calls. */
final class Timing {

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private Timing() {
    }

    static double millis(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e6;
    }

    /** Median of {@code reps} timed runs, after one untimed warm-up run. */
    static double medianMillis(int reps, Action action) throws Exception {
        action.run();
        double[] times = new double[reps];
        for (int i = 0; i < reps; i++) {
            times[i] = millis(action);
        }
        Arrays.sort(times);
        return reps % 2 == 1 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
    }
}
