package io.trims.bench.sim;

import io.trims.bench.sim.workload.Catalogue;
import io.trims.bench.sim.workload.ModelProfile;
import io.trims.bench.sim.workload.ZipfWorkload;
import io.trims.policy.eviction.LruPolicy;
import io.trims.policy.placement.FastestTierPolicy;
import io.trims.policy.promotion.PromotionPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounds bound: infinite memory misses no more than MIN, and MIN no more than the live LRU on one cache. */
class SimBoundsTest {

    @Test
    void infiniteIsBelowMinIsBelowLruOnAZipfTrace() {
        Experiment.HostShape shape = new Experiment.HostShape(4, 4, 0.10, 2, 0, 200e6, 400e6, 2e9,
                new PromotionPolicy(2, 60_000));
        Experiment e = Experiment.prepare(new ZipfWorkload(0.9), 20_000, 200, 4, shape, ModelProfile.DEFAULT, 1, 3);
        SimResult lru = e.pooled(FastestTierPolicy.NAME, LruPolicy.NAME, 3);
        Bounds b = e.bounds();
        long lruMisses = lru.servedDisk() + lru.servedRemote();

        assertTrue(b.memory().misses() <= lruMisses, "MIN " + b.memory().misses() + " vs LRU " + lruMisses);
        assertTrue(b.infinite().misses() <= b.memory().misses());
        assertTrue(b.infinite().misses() <= b.hostTiers().misses());
        assertTrue(b.infinite().misses() <= lru.servedRemote(), "each model's first request is a cold start");
        assertEquals(e.trace().distinctModels(), b.infinite().misses());
    }

    @Test
    void nextUsesPointAtTheNextRequestOfTheSameModel() {
        // models 0 1 0 2 1 at 0..4; none after: n + model
        assertArrayEquals(new int[]{2, 4, 5, 7, 6}, BeladyMin.nextUses(new int[]{0, 1, 0, 2, 1}, 3));
    }

    @Test
    void minNeverMissesMoreThanTheCatalogueWhenEverythingFits() {
        Catalogue catalogue = ModelProfile.DEFAULT.draw(50, 5);
        var trace = new ZipfWorkload(0.7).generate(5_000, 50, 5);
        assertEquals(BeladyMin.infinite(trace, catalogue).misses(),
                BeladyMin.run(trace, catalogue, catalogue.totalBytes()).misses());
    }
}
