package io.trims.bench.sim.workload;

import java.util.Arrays;

/**
 * A workload as the simulator replays it: request {@code i} asks for model {@code models[i]} at
 * {@code arrivalNanos[i]}, in time order.
 *
 * @param description what generated it, with its parameters, for the report
 */
public record Trace(String name, String description, int[] models, long[] arrivalNanos) {

    public Trace {
        if (models.length != arrivalNanos.length) {
            throw new IllegalArgumentException("one arrival time per request");
        }
        for (int i = 1; i < arrivalNanos.length; i++) {
            if (arrivalNanos[i] < arrivalNanos[i - 1]) {
                throw new IllegalArgumentException("arrivals out of order at request " + i);
            }
        }
    }

    public int size() {
        return models.length;
    }

    public long spanNanos() {
        return models.length == 0 ? 0 : arrivalNanos[models.length - 1] - arrivalNanos[0];
    }

    /** Models requested at least once. */
    public int distinctModels() {
        return (int) Arrays.stream(models).distinct().count();
    }

    /** The same requests one every {@code slotNanos}, in the same order: time taken out of the picture. */
    public Trace oneAtATime(long slotNanos) {
        long[] at = new long[models.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = i * slotNanos;
        }
        return new Trace(name, description, models, at);
    }

    /**
     * The same requests with time stretched or squeezed so that they arrive at {@code perSecond} on average; the
     * shape of the trace (bursts, days) keeps its proportions.
     */
    public Trace atRate(double perSecond) {
        if (models.length < 2 || spanNanos() == 0) {
            return this;
        }
        double factor = (models.length / perSecond * 1e9) / spanNanos();
        long origin = arrivalNanos[0];
        long[] scaled = new long[models.length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = Math.round((arrivalNanos[i] - origin) * factor);
        }
        return new Trace(name, description, models, scaled);
    }
}
