package io.trims.bench.sim;

import io.trims.agent.tier.BudgetedTier;
import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.EvictionPolicy;

/**
 * A tier of a simulated host: the agent's own tier bookkeeping (residents, budget, reservations, the eviction
 * policy's choice) over stand-in copies, so a simulated eviction is the one the agent would make. Nothing is closed
 * or deleted when a copy leaves.
 */
public final class SimTier extends BudgetedTier<SimCopy> {

    public SimTier(TierLevel level, long capacity, EvictionPolicy policy, Ticker ticker) {
        super(level, capacity, policy, ticker);
    }

    @Override
    protected void dispose(ModelId id, SimCopy copy) {
    }

    @Override
    public void close() {
        disposeAll();
    }
}
