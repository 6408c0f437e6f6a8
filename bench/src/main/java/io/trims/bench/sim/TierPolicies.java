package io.trims.bench.sim;

import io.trims.directory.TierLevel;
import io.trims.policy.eviction.EvictionPolicies;
import io.trims.policy.eviction.EvictionPolicy;

/**
 * The eviction policy of each simulated tier. By name, every tier gets its own instance from
 * {@link EvictionPolicies#byName}, as an agent does; a policy that weighs the copies other hosts hold is built from
 * the host, the tier and the simulated directory's {@link CopyCounts}.
 */
@FunctionalInterface
public interface TierPolicies {

    EvictionPolicy policy(String host, TierLevel tier, CopyCounts copies);

    /** @throws IllegalArgumentException for a name no policy has */
    static TierPolicies byName(String name) {
        EvictionPolicies.byName(name);
        return (host, tier, copies) -> EvictionPolicies.byName(name);
    }
}
