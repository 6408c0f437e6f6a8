package io.trims.policy.eviction;

import java.util.Comparator;
import java.util.List;

/** Least recently used first; residents with requests in flight are skipped. */
public final class LruPolicy implements EvictionPolicy {

    public static final String NAME = "lru";
    private static final Comparator<Resident> OLDEST_USE_FIRST = Comparator.comparingLong(Resident::lastUsedNanos);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EvictionPlan plan(List<Resident> residents, long capacityBytes, long usedBytes, long neededBytes) {
        return RankedEviction.plan(residents, OLDEST_USE_FIRST, capacityBytes, usedBytes, neededBytes);
    }
}
