package io.trims.bench.sim;

import io.trims.directory.TierLevel;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.CopiesElsewhere;
import io.trims.policy.eviction.EvictionContext;
import io.trims.policy.eviction.EvictionPolicies;
import io.trims.policy.eviction.EvictionPolicy;

/**
 * The eviction policy of each simulated tier. By name, every tier gets its own instance from
 * {@link EvictionPolicies#byName}, as an agent's tiers do, with the same context: the tier, the simulated clock and
 * the copies the other simulated hosts hold.
 */
@FunctionalInterface
public interface TierPolicies {

    EvictionPolicy policy(TierLevel tier, Ticker ticker, CopiesElsewhere copies);

    /** @throws IllegalArgumentException for a name no policy has */
    static TierPolicies byName(String name) {
        EvictionPolicies.requireKnown(name);
        return (tier, ticker, copies) -> EvictionPolicies.byName(name, new EvictionContext(tier, ticker, copies));
    }
}
