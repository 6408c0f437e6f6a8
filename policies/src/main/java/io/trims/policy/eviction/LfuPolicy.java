package io.trims.policy.eviction;

import java.util.Comparator;
import java.util.List;

/**
 * Least frequently used first: fewest uses since the copy became resident, the least recently used among equals.
 * Residents with requests in flight are skipped.
 */
public final class LfuPolicy implements EvictionPolicy {

    public static final String NAME = "lfu";
    private static final Comparator<Resident> FEWEST_USES_FIRST = Comparator.comparingLong(Resident::uses)
            .thenComparingLong(Resident::lastUsedNanos);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EvictionPlan plan(List<Resident> residents, long capacityBytes, long usedBytes, long neededBytes) {
        return RankedEviction.plan(residents, FEWEST_USES_FIRST, capacityBytes, usedBytes, neededBytes);
    }
}
