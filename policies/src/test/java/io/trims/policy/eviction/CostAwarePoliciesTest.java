package io.trims.policy.eviction;

import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LFU and GDSF on hand-made snapshots: who goes first, and what neither may ever take. */
class CostAwarePoliciesTest {

    private static final EvictionContext CPU = EvictionContext.alone(TierLevel.CPU, () -> 1_000);
    private final EvictionPolicy lfu = EvictionPolicies.byName("lfu", CPU);
    private final EvictionPolicy gdsf = EvictionPolicies.byName("GDSF", CPU);

    private static Resident resident(String name, long bytes, long lastUsed, long uses, Long loadNanos, int inFlight) {
        Optional<LoadCost> cost = Optional.ofNullable(loadNanos).map(n -> new LoadCost(LoadCost.Source.DISK, n));
        return new Resident(id(name), bytes, lastUsed, uses, cost, inFlight);
    }

    private static ModelId id(String name) {
        return new ModelId(name, "1");
    }

    @Test
    void lfuDemotesTheLeastUsedFirstAndTheLeastRecentAmongEquals() {
        List<Resident> residents = List.of(
                resident("hot", 40, 100, 9, 1_000L, 0),
                resident("once-recent", 40, 300, 1, 1_000L, 0),
                resident("once-old", 40, 200, 1, 1_000L, 0));
        EvictionPlan plan = lfu.plan(residents, 120, 120, 60);
        assertTrue(plan.fits());
        assertEquals(List.of(id("once-old"), id("once-recent")), plan.victims());
    }

    @Test
    void gdsfKeepsTheSmallModelWhoseReloadIsSlowAndDemotesTheBigCheapOne() {
        // Same uses: "big" frees more and reloads fast per byte; "small" is slow to bring back.
        List<Resident> residents = List.of(
                resident("small-slow", 10, 100, 2, 2_000_000L, 0),
                resident("big-cheap", 80, 300, 2, 400_000L, 0));
        EvictionPlan plan = gdsf.plan(residents, 100, 90, 20);
        assertTrue(plan.fits());
        assertEquals(List.of(id("big-cheap")), plan.victims());
        assertEquals(List.of(id("small-slow")), EvictionPolicies.byName("lru", CPU).plan(residents, 100, 90, 20).victims(),
                "LRU, blind to cost, would have taken the small one");
    }

    @Test
    void gdsfWeighsUsesAgainstCost() {
        // Equal size and cost: the one used more is worth more.
        List<Resident> residents = List.of(
                resident("used-often", 50, 100, 10, 1_000_000L, 0),
                resident("used-once", 50, 200, 1, 1_000_000L, 0));
        assertEquals(List.of(id("used-once")), gdsf.plan(residents, 100, 100, 50).victims());
    }

    @Test
    void gdsfCostsACopyWhoseLoadWasNotSeenAtTheMeanRateOfTheOthers() {
        // 6000 ns over 150 bytes seen: the unseen 50-byte copy is costed 2000 ns, less than "seen" (50 bytes, 5000 ns).
        List<Resident> residents = List.of(
                resident("seen", 50, 100, 1, 5_000L, 0),
                resident("seen-rate", 100, 150, 100, 1_000L, 0),
                resident("found-at-start", 50, 300, 1, null, 0));
        double nanosPerByte = 6_000.0 / 150;
        double worth = new GdsfPolicy().worth(residents).applyAsDouble(residents.get(2));
        assertEquals(1 * nanosPerByte * 50 / 50, worth, 1e-9);
        assertEquals(List.of(id("found-at-start")), gdsf.plan(residents, 200, 200, 50).victims());
    }

    @Test
    void neitherTakesAResidentInUseNorPlansWhatCannotFit() {
        List<Resident> residents = List.of(
                resident("busy-cold", 50, 100, 1, 1L, 3),
                resident("idle-hot", 50, 200, 50, 1_000_000L, 0));
        for (EvictionPolicy policy : List.of(lfu, gdsf)) {
            EvictionPlan plan = policy.plan(residents, 100, 100, 50);
            assertEquals(List.of(id("idle-hot")), plan.victims(), policy.name());
            assertFalse(policy.plan(residents, 100, 100, 80).fits(), policy.name() + ": only the busy one would free enough");
            assertFalse(policy.plan(List.of(), 100, 0, 101).fits(), policy.name() + ": bigger than the tier");
        }
    }
}
