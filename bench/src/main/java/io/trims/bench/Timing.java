package io.trims.bench;

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
        return Latencies.of(times).median();
    }
}
