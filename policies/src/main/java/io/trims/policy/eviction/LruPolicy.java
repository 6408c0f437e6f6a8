package io.trims.policy.eviction;

import io.trims.directory.ModelId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Least recently used first; residents with requests in flight are skipped. */
public final class LruPolicy implements EvictionPolicy {

    public static final String NAME = "lru";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EvictionPlan plan(List<Resident> residents, long capacityBytes, long usedBytes, long neededBytes) {
        if (neededBytes > capacityBytes) {
            return EvictionPlan.cannotFit();
        }
        long free = capacityBytes - usedBytes;
        List<ModelId> victims = new ArrayList<>();
        List<Resident> idle = residents.stream()
                .filter(r -> !r.inUse())
                .sorted(Comparator.comparingLong(Resident::lastUsedNanos))
                .toList();
        for (Resident r : idle) {
            if (free >= neededBytes) {
                break;
            }
            victims.add(r.id());
            free += r.bytes();
        }
        return free >= neededBytes ? EvictionPlan.demote(victims) : EvictionPlan.cannotFit();
    }
}
