package io.trims.policy.eviction;

import io.trims.policy.clock.Ticker;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Least recently used first. A resident is worth its recency, {@code 1 / (1 + ns since its last use)}: falling with
 * age, so the order is exactly that of last use. Residents with requests in flight are skipped.
 */
public final class LruPolicy extends RankedEviction {

    public static final String NAME = "lru";

    private final Ticker ticker;

    public LruPolicy(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToDoubleFunction<Resident> worth(List<Resident> residents) {
        long now = ticker.read();
        return r -> 1.0 / (1.0 + Math.max(0, now - r.lastUsedNanos()));
    }
}
