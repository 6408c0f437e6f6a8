package io.trims.bench.sim;

import io.trims.bench.sim.workload.Catalogue;
import io.trims.bench.sim.workload.Trace;

/**
 * What no placement and eviction could beat by much, computed once per workload over one pooled cache of the
 * cluster's total capacity (as if every host's tiers were one, placement free of charge): Belady's MIN over the
 * memory tiers (GPU and CPU: a miss there is a request that finds its model in neither), MIN over every host tier
 * (GPU, CPU and disk: a miss is a cold start), and an infinite cache (only each model's first request misses).
 * Pooling makes the bounds independent of placement, so every policy pair is measured against the same figures.
 */
public record Bounds(BeladyMin.Count memory, BeladyMin.Count hostTiers, BeladyMin.Count infinite) {

    public static Bounds of(Trace trace, Catalogue catalogue, ClusterSpec cluster) {
        long memory = cluster.cpuBytes() + cluster.gpuBytes();
        return new Bounds(BeladyMin.run(trace, catalogue, memory),
                BeladyMin.run(trace, catalogue, memory + cluster.diskBytes()),
                BeladyMin.infinite(trace, catalogue));
    }
}
