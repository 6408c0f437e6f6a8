package io.trims.directory;

/**
 * How long one run of a model version takes on one host in one tier, as that host measured it.
 *
 * @param meanNanos exponentially weighted mean of the compute time of one run (no queueing, no load)
 * @param runs      runs measured so far
 */
public record RunTime(String model, String version, TierLevel tier, long meanNanos, long runs) {

    public ModelId modelId() {
        return new ModelId(model, version);
    }
}
