package io.trims.policy.eviction;

import io.trims.directory.ModelId;

import java.util.Optional;

/**
 * One model resident in a tier, as an eviction policy sees it. All times are on the tier's
 * {@link io.trims.policy.clock.Ticker}.
 *
 * @param bytes              what the copy costs in the tier
 * @param lastUsedNanos      when it was last acquired (or became resident, if never acquired since)
 * @param uses               acquires since it became resident
 * @param loadCost           what its load into the tier cost; empty for a copy found at startup, whose load was not seen
 * @param inFlight           requests using it now; a resident with any is never a victim
 * @param meanGapNanos       exponentially weighted mean of the time between consecutive acquires; 0 while fewer than
 *                           two were seen
 * @param residentSinceNanos when the copy became resident
 */
public record Resident(ModelId id, long bytes, long lastUsedNanos, long uses, Optional<LoadCost> loadCost, int inFlight,
                       long meanGapNanos, long residentSinceNanos) {

    public Resident {
        if (meanGapNanos < 0) {
            throw new IllegalArgumentException("a mean gap between uses cannot be negative: " + meanGapNanos);
        }
    }

    /** A resident whose gaps between uses are unknown, resident since its last use. */
    public Resident(ModelId id, long bytes, long lastUsedNanos, long uses, Optional<LoadCost> loadCost, int inFlight) {
        this(id, bytes, lastUsedNanos, uses, loadCost, inFlight, 0, lastUsedNanos);
    }

    public boolean inUse() {
        return inFlight > 0;
    }
}
