package io.trims.agent.tier;

import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LoadCost;
import io.trims.policy.eviction.LruPolicy;

/** A budgeted tier of plain strings: the shared bookkeeping alone, without sessions or files. */
final class ValueTier extends BudgetedTier<String> {

    ValueTier(long capacity, Ticker ticker) {
        super(TierLevel.CPU, capacity, new LruPolicy(ticker), ticker);
    }

    /** Reserves, fills and lets the loader's hold go, as a load into the tier does. */
    void load(ModelId id, long bytes) {
        reserve(id, bytes);
        put(id, id.key(), bytes, new LoadCost(LoadCost.Source.DISK, 1));
        release(id);
    }

    @Override
    protected void dispose(ModelId id, String value) {
    }

    @Override
    public void close() {
    }
}
