package io.trims.policy.eviction;

import io.trims.directory.TierLevel;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Any ranking policy, weighed by what losing this host's copy costs the cluster. The next miss on the last copy goes
 * to object storage; with another host holding the model in this tier or a faster one it costs a hop to that host.
 * So a resident's base worth is multiplied by {@code 1 / (1 + 9 × copies elsewhere)}: the last copy keeps its worth,
 * one other copy makes a copy worth a tenth, each more copy less again. Residents in use are skipped.
 */
public final class ClusterAwarePolicy extends RankedEviction {

    public static final String NAME = "cluster-aware";
    /** How much less a copy is worth for each other host that holds the model in this tier or a faster one. */
    public static final double COPY_DISCOUNT = 9;

    private final RankedEviction base;
    private final TierLevel tier;
    private final CopiesElsewhere copies;

    public ClusterAwarePolicy(RankedEviction base, TierLevel tier, CopiesElsewhere copies) {
        this.base = base;
        this.tier = tier;
        this.copies = copies;
    }

    /** {@code cluster-aware:<base>}, which also selects it. */
    @Override
    public String name() {
        return NAME + ":" + base.name();
    }

    @Override
    public ToDoubleFunction<Resident> worth(List<Resident> residents) {
        ToDoubleFunction<Resident> baseWorth = base.worth(residents);
        return r -> baseWorth.applyAsDouble(r) / (1 + COPY_DISCOUNT * copies.count(r.id(), tier));
    }
}
