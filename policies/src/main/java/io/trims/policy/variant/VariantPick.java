package io.trims.policy.variant;

import io.trims.directory.TierLevel;
import io.trims.policy.placement.Estimate;
import io.trims.policy.placement.Placement;

/**
 * The variant chosen for a model-less request, where it goes and when it is expected to finish.
 *
 * @param meetsLatency false when no admitted variant could meet the latency target and this is the closest
 */
public record VariantPick(Variant variant, Placement placement, Estimate estimate, boolean meetsLatency) {

    /** Held in a tier it runs from, nothing to load first. */
    public boolean warm() {
        return estimate.loadNanos() == 0
                && estimate.heldIn().filter(tier -> tier != TierLevel.DISK).isPresent();
    }
}
