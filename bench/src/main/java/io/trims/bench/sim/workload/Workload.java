package io.trims.bench.sim.workload;

/**
 * A generator of requests over a catalogue. Times come out on any scale (the simulator sets the rate with
 * {@link Trace#atRate}); shapes such as bursts and days are proportions of the whole trace, so they survive that.
 */
public interface Workload {

    String name();

    /**
     * @param models how many models the catalogue has; a trace may use fewer (see {@link #modelsUsed})
     * @param seed   the same seed gives the same trace
     */
    Trace generate(int invocations, int models, long seed);

    /** How many of the catalogue's first models the trace can ask for: all of them unless a trace file has fewer. */
    default int modelsUsed(int models) {
        return models;
    }
}
