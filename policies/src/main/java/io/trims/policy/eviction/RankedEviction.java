package io.trims.policy.eviction;

import io.trims.directory.ModelId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The plan every ranking policy makes: idle residents in the policy's order (first = first to go), taken until the
 * newcomer fits. Residents with requests in flight are never offered.
 */
final class RankedEviction {

    private RankedEviction() {
    }

    static EvictionPlan plan(List<Resident> residents, Comparator<Resident> firstToGo, long capacityBytes,
                             long usedBytes, long neededBytes) {
        if (neededBytes > capacityBytes) {
            return EvictionPlan.cannotFit();
        }
        long free = capacityBytes - usedBytes;
        List<ModelId> victims = new ArrayList<>();
        List<Resident> idle = residents.stream().filter(r -> !r.inUse()).sorted(firstToGo).toList();
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
