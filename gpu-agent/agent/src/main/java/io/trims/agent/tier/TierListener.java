package io.trims.agent.tier;

import io.trims.policy.eviction.Resident;
import io.trims.directory.TierLevel;

/** Told when a tier lets a resident go (evicted to make room, or retired). Called on the thread that caused it. */
@FunctionalInterface
public interface TierListener {
    void evicted(TierLevel tier, Resident resident);
}
