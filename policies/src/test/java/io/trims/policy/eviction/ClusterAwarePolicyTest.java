package io.trims.policy.eviction;

import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** cluster-aware over each base policy, with the copies other hosts hold given by hand. */
class ClusterAwarePolicyTest {

    private static final long NOW = 1_000_000;
    private static final ModelId LAST = id("last");
    private static final ModelId SHARED = id("shared");

    private static ModelId id(String name) {
        return new ModelId(name, "1");
    }

    /** Equal in everything but recency: "last" was used longer ago than "shared", which two other hosts hold. */
    private static List<Resident> lastOlderThanShared(int sharedInFlight) {
        Optional<LoadCost> cost = Optional.of(new LoadCost(LoadCost.Source.REMOTE, 1_000_000));
        return List.of(
                new Resident(LAST, 50, NOW - 200_000, 3, cost, 0, 0, NOW - 200_000),
                new Resident(SHARED, 50, NOW - 100_000, 3, cost, sharedInFlight, 0, NOW - 100_000));
    }

    private static Residency copy(String host, ModelId model, TierLevel tier, ResidencyState state) {
        return new Residency(host, model.name(), model.version(), tier, state, 50, 0);
    }

    private static CopiesElsewhere copies(Map<ModelId, List<Residency>> held) {
        return model -> held.getOrDefault(model, List.of());
    }

    private static EvictionPolicy policy(String name, CopiesElsewhere copies) {
        return EvictionPolicies.byName(name, new EvictionContext(TierLevel.CPU, () -> NOW, copies));
    }

    @Test
    void overEachBaseTheCopyHeldElsewhereGoesFirstThoughTheLastCopyIsOlder() {
        CopiesElsewhere elsewhere = copies(Map.of(SHARED, List.of(
                copy("h2", SHARED, TierLevel.CPU, ResidencyState.READY),
                copy("h3", SHARED, TierLevel.GPU, ResidencyState.LOADING))));
        for (String base : List.of("lru", "lfu", "gdsf", "belady-am")) {
            EvictionPolicy alone = policy(base, elsewhere);
            EvictionPolicy aware = policy("cluster-aware:" + base, elsewhere);
            assertEquals("cluster-aware:" + base, aware.name());
            assertEquals(List.of(LAST), alone.plan(lastOlderThanShared(0), 100, 100, 50).victims(), base);
            assertEquals(List.of(SHARED), aware.plan(lastOlderThanShared(0), 100, 100, 50).victims(), aware.name());
        }
    }

    @Test
    void withoutCopiesElsewhereItDecidesAsItsBase() {
        EvictionPolicy aware = policy("cluster-aware:lru", CopiesElsewhere.NONE);
        assertEquals(List.of(LAST), aware.plan(lastOlderThanShared(0), 100, 100, 50).victims());
    }

    @Test
    void copiesInASlowerTierDoNotProtectAMemoryTier() {
        // A disk copy elsewhere still means a load there: for this CPU tier "shared" is a last copy too.
        CopiesElsewhere onDisk = copies(Map.of(SHARED, List.of(copy("h2", SHARED, TierLevel.DISK, ResidencyState.READY))));
        assertEquals(1, onDisk.count(SHARED, TierLevel.DISK));
        assertEquals(0, onDisk.count(SHARED, TierLevel.CPU));
        assertEquals(List.of(LAST), policy("cluster-aware:lru", onDisk).plan(lastOlderThanShared(0), 100, 100, 50).victims());
    }

    @Test
    void eachOtherCopyDiscountsTheBaseWorth() {
        List<Resident> residents = lastOlderThanShared(0);
        RankedEviction base = new LfuPolicy();
        for (int n = 0; n <= 3; n++) {
            List<Residency> held = java.util.stream.IntStream.range(0, n)
                    .mapToObj(i -> copy("h" + i, SHARED, TierLevel.CPU, ResidencyState.READY)).toList();
            CopiesElsewhere elsewhere = model -> held;
            ClusterAwarePolicy aware = new ClusterAwarePolicy(base, TierLevel.CPU, elsewhere);
            assertEquals(3.0 / (1 + 9 * n), aware.worth(residents).applyAsDouble(residents.get(1)), 1e-12, n + " copies");
        }
    }

    @Test
    void aResidentInUseIsNeverOfferedHowEverManyCopiesThereAre() {
        Collection<Residency> many = List.of(copy("h2", SHARED, TierLevel.CPU, ResidencyState.READY),
                copy("h3", SHARED, TierLevel.CPU, ResidencyState.READY));
        EvictionPolicy aware = policy("cluster-aware", model -> model.equals(SHARED) ? many : List.of());
        assertEquals("cluster-aware:belady-am", aware.name());
        assertEquals(List.of(LAST), aware.plan(lastOlderThanShared(1), 100, 100, 50).victims());
        assertFalse(aware.plan(lastOlderThanShared(1), 100, 100, 60).fits());
    }
}
