package io.trims.agent.residency;

import io.trims.agent.tier.BudgetedTier;
import io.trims.directory.ModelId;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.policy.eviction.Resident;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets one model version go from every tier of this host (GPU, CPU, disk), through the tiers' eviction protocol,
 * which never takes a copy from a request that holds it: an idle copy goes at once; a copy in use is marked EVICTING
 * in the directory (placement sends it nothing more), takes no new requests, and goes when its last request lets it
 * go. Either way the tier's listener removes the directory record as the copy goes. For a model the registry deleted,
 * and for a repository unload, which keeps the registration. Blocking: run on a worker.
 */
final class ModelRelease {

    private final List<BudgetedTier<?>> tiers;
    private final HostPublisher publisher;
    private final GpuPromoter promoter;
    private final TierLog log;

    /**
     * @param tiers    fastest first
     * @param promoter null where the host has no GPU tier
     */
    ModelRelease(List<BudgetedTier<?>> tiers, HostPublisher publisher, GpuPromoter promoter, TierLog log) {
        this.tiers = List.copyOf(tiers);
        this.publisher = publisher;
        this.promoter = promoter;
        this.log = log;
    }

    /**
     * The tiers that held the version (or were loading it), fastest first; each lets it go as soon as it is idle. A
     * copy that goes at once is logged for {@code cause}; one still in use is logged as evicted when it goes.
     */
    List<TierLevel> release(ModelId id, TierLog.Cause cause) {
        List<TierLevel> held = new ArrayList<>();
        for (BudgetedTier<?> tier : tiers) {
            long bytes = tier.residents().stream().filter(r -> r.id().equals(id)).mapToLong(Resident::bytes).sum();
            publisher.residencyIfHeld(tier, id, ResidencyState.EVICTING, bytes);
            if (log.because(cause, tier.level(), id, () -> tier.evict(id))) {
                held.add(tier.level());
            }
        }
        if (promoter != null) {
            promoter.forget(id);
        }
        return held;
    }
}
