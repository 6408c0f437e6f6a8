package io.trims.bench.sim;

import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;

/** How many copies of a model other hosts hold in a tier: what a cluster-aware eviction policy weighs. */
@FunctionalInterface
public interface CopyCounts {

    int copiesElsewhere(ModelId model, TierLevel tier, String host);
}
