package io.trims.policy.eviction;

import io.trims.directory.ModelId;

import java.util.Optional;

/**
 * One model resident in a tier, as an eviction policy sees it. All times are on the tier's
 * {@link io.trims.policy.clock.Ticker}.
 *
 * @param bytes         what the copy costs in the tier
 * @param lastUsedNanos when it was last acquired (or became resident, if never acquired since)
 * @param uses          acquires since it became resident
 * @param loadCost      what its load into the tier cost; empty for a copy found at startup, whose load was not seen
 * @param inFlight      requests using it now; a resident with any is never a victim
 */
public record Resident(ModelId id, long bytes, long lastUsedNanos, long uses, Optional<LoadCost> loadCost, int inFlight) {

    public boolean inUse() {
        return inFlight > 0;
    }
}
