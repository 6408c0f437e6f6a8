package io.trims.agent.residency;

import io.trims.agent.tier.BudgetedTier;
import io.trims.directory.ModelId;
import io.trims.directory.ResidencyState;
import io.trims.policy.eviction.Resident;
import io.trims.policy.eviction.CopiesElsewhere;
import io.trims.policy.eviction.SpareCopies;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gives back this host's spare copies in its memory tiers (CPU, GPU): copies idle for the threshold while a host
 * whose name sorts first keeps the model in the same tier or a faster one, as {@link SpareCopies} decides. The copy is
 * first marked EVICTING in the directory, so placement sends nothing more to it; then it goes as a demotion does
 * (the tier's listener tells the directory and counts the eviction), and only if no request has taken it
 * meanwhile; a copy that stays is marked READY again. A copy given back is logged as such ({@link TierLog}).
 * Blocking (disposing of a copy, telling the directory): run on a worker.
 */
final class SpareCopyRelease {

    private static final long MIN_PERIOD_MS = 10;
    private static final long MAX_PERIOD_MS = 10_000;

    private final List<BudgetedTier<?>> tiers;
    private final CopiesElsewhere copies;
    private final SpareCopies spare;
    private final long idleMillis;
    private final HostPublisher publisher;
    private final AgentMetrics metrics;
    private final TierLog log;

    SpareCopyRelease(String host, List<BudgetedTier<?>> tiers, CopiesElsewhere copies, long idleMillis,
                     HostPublisher publisher, AgentMetrics metrics, TierLog log) {
        this.tiers = List.copyOf(tiers);
        this.copies = copies;
        this.spare = new SpareCopies(host, TimeUnit.MILLISECONDS.toNanos(idleMillis));
        this.idleMillis = idleMillis;
        this.publisher = publisher;
        this.metrics = metrics;
        this.log = log;
    }

    /** How often to look: a quarter of the threshold (within bounds), so a spare copy goes soon after it is one. */
    long periodMillis() {
        return Math.max(MIN_PERIOD_MS, Math.min(MAX_PERIOD_MS, idleMillis / 4));
    }

    void sweep() {
        for (BudgetedTier<?> tier : tiers) {
            long now = tier.ticker().read();
            List<Resident> residents = tier.residents();
            for (ModelId id : spare.in(tier.level(), residents, copies, now)) {
                long bytes = residents.stream().filter(r -> r.id().equals(id)).mapToLong(Resident::bytes).sum();
                publisher.residencyIfHeld(tier, id, ResidencyState.EVICTING, bytes);
                long idleSince = spare.idleSince(now);
                if (!log.because(TierLog.Cause.SPARE, tier.level(), id, () -> tier.evictIfUnused(id, idleSince))) {
                    publisher.residencyIfHeld(tier, id, ResidencyState.READY, bytes);
                } else {
                    metrics.spareCopyDropped(tier.level().label());
                }
            }
        }
    }
}
