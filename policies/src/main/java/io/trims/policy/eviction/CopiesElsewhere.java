package io.trims.policy.eviction;

import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.TierLevel;

import java.util.Collection;
import java.util.List;

/**
 * The copies of a model that other live hosts hold, as far as this host knows: what is left in the cluster if this
 * host lets its own copy go. Called under a tier's lock, so an implementation answers from memory.
 */
@FunctionalInterface
public interface CopiesElsewhere {

    /** A host that knows of no other: every copy is the last. */
    CopiesElsewhere NONE = model -> List.of();

    /** Other live hosts' copies of the model, loading or ready; never this host's, never one being evicted. */
    Collection<Residency> of(ModelId model);

    /** How many of them are in {@code tier} or a faster one: a miss here could be served by one of those hosts. */
    default int count(ModelId model, TierLevel tier) {
        int n = 0;
        for (Residency copy : of(model)) {
            if (copy.tier().rank() <= tier.rank()) {
                n++;
            }
        }
        return n;
    }
}
