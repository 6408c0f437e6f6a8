package io.trims.policy.eviction;

import io.trims.directory.ModelId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * An eviction policy that puts a number on each resident, its worth (higher = kept longer), and makes the plan every
 * ranking policy makes: idle residents from the least worth up, the least recently used among equals, taken until
 * the newcomer fits. Residents with requests in flight are never offered. Worth is a number, not just an order, so
 * that a policy can scale another's ({@link ClusterAwarePolicy}).
 */
public abstract class RankedEviction implements EvictionPolicy {

    private static final Comparator<Ranked> FIRST_TO_GO = Comparator.comparingDouble(Ranked::worth)
            .thenComparingLong(r -> r.resident().lastUsedNanos());

    /**
     * How much keeping each resident of this snapshot is worth now; the snapshot is given for policies that weigh a
     * resident against the others (a reload cost estimated from theirs).
     */
    public abstract ToDoubleFunction<Resident> worth(List<Resident> residents);

    @Override
    public final EvictionPlan plan(List<Resident> residents, long capacityBytes, long usedBytes, long neededBytes) {
        if (neededBytes > capacityBytes) {
            return EvictionPlan.cannotFit();
        }
        long free = capacityBytes - usedBytes;
        if (free >= neededBytes) {
            return EvictionPlan.demote(List.of());
        }
        ToDoubleFunction<Resident> worth = worth(residents);
        List<Ranked> idle = residents.stream()
                .filter(r -> !r.inUse())
                .map(r -> new Ranked(r, worth.applyAsDouble(r)))
                .sorted(FIRST_TO_GO)
                .toList();
        List<ModelId> victims = new ArrayList<>();
        for (Ranked r : idle) {
            if (free >= neededBytes) {
                break;
            }
            victims.add(r.resident().id());
            free += r.resident().bytes();
        }
        return free >= neededBytes ? EvictionPlan.demote(victims) : EvictionPlan.cannotFit();
    }

    private record Ranked(Resident resident, double worth) {
    }
}
