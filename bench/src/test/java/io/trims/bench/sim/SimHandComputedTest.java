package io.trims.bench.sim;

import io.trims.bench.sim.workload.Catalogue;
import io.trims.bench.sim.workload.ModelProfile;
import io.trims.bench.sim.workload.SimModel;
import io.trims.bench.sim.workload.Trace;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.policy.eviction.LruPolicy;
import io.trims.policy.placement.FastestTierPolicy;
import io.trims.policy.promotion.PromotionPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small traces whose counts are worked out by hand. */
class SimHandComputedTest {

    private static final long MB = 1_000_000;
    /** Far longer than any load and run here: each request is over before the next arrives. */
    private static final long APART = 1_000_000_000_000L;
    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;
    private static final int D = 3;
    private static final int[] ABACBADABC = {A, B, A, C, B, A, D, A, B, C};

    private static Catalogue fourModels() {
        List<SimModel> models = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            models.add(new SimModel(i, ModelProfile.idOf(i), 100 * MB, 10_000_000, 1_000_000));
        }
        return new Catalogue(models);
    }

    /** One host with a CPU tier of two models and a disk for all of them; a GPU tier of {@code gpuModels}. */
    private static ClusterSpec oneHost(int gpuModels) {
        return new ClusterSpec(1, new HostSpec(1, 1, gpuModels * 100 * MB, 200 * MB, 1000 * MB, 200e6, 400e6, 2e9,
                new PromotionPolicy(2, 60_000)));
    }

    private static Trace apart(int[] models) {
        long[] at = new long[models.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = i * APART;
        }
        return new Trace("hand", "by hand", models, at);
    }

    /**
     * LRU, two models of room: A B A C B A D A B C misses all but the second and third A (8 misses, 2 hits); every
     * miss after the second evicts one (6 evictions); the first request of each model is a cold start (4), the other
     * misses find the file on disk (4).
     */
    @Test
    void lruWithRoomForTwoHitsTwiceInTen() {
        SimResult r = Simulation.run(apart(ABACBADABC), fourModels(), oneHost(0), FastestTierPolicy.NAME,
                LruPolicy.NAME, 1);
        assertEquals(10, r.requests());
        assertEquals(2, r.servedCpu());
        assertEquals(4, r.servedDisk());
        assertEquals(4, r.servedRemote());
        assertEquals(6, r.evictionsCpu());
        assertEquals(0, r.evictionsDisk());
        assertEquals(4, r.fetches());
        assertEquals(400 * MB, r.bytesFetched());
        assertEquals(0.8, r.memoryMissRatio(), 1e-12);
        assertEquals(0, r.failed());
    }

    /**
     * MIN with room for two: at C it evicts A (next use 5, B's is 4), at the second A it evicts C, at D it evicts B;
     * the third A hits; at B and at C, nothing resident is used again. Hits: the second A, the second B, the third A.
     */
    @Test
    void minWithRoomForTwoMissesSevenOfTen() {
        BeladyMin.Count min = BeladyMin.run(apart(ABACBADABC), fourModels(), 200 * MB);
        assertEquals(7, min.misses());
        assertEquals(700 * MB, min.bytesLoaded());
        assertEquals(4, BeladyMin.infinite(apart(ABACBADABC), fourModels()).misses());
    }

    /** Three requests for one model at one instant share one fetch and one load (single flight). */
    @Test
    void concurrentMissesShareOneLoad() {
        Trace together = new Trace("together", "three at once", new int[]{A, A, A}, new long[]{0, 0, 0});
        SimResult r = Simulation.run(together, fourModels(), oneHost(0), FastestTierPolicy.NAME, LruPolicy.NAME, 1);
        assertEquals(3, r.servedRemote());
        assertEquals(1, r.fetches());
        // 100 MB at 200 MB/s, then at 400 MB/s: every request waits 750 ms for the one load.
        assertEquals(750, r.loadDelayMeanMs(), 1e-6);
        assertEquals(0, r.failed());
    }

    /** The other hosts' copies, what a cluster-aware eviction policy is given, counted in a tier or a faster one. */
    @Test
    void copiesElsewhereCountsOtherHostsCopiesInATierOrFaster() {
        Catalogue catalogue = fourModels();
        HolderIndex directory = new HolderIndex(catalogue);
        SimModel a = catalogue.model(A);
        directory.put("h1", a, TierLevel.CPU, ResidencyState.READY, a.bytes(), 0);
        directory.put("h2", a, TierLevel.CPU, ResidencyState.LOADING, a.bytes(), 0);
        directory.put("h2", a, TierLevel.CPU, ResidencyState.READY, a.bytes(), 1);
        directory.put("h3", a, TierLevel.DISK, ResidencyState.READY, a.bytes(), 0);
        assertEquals(1, directory.elsewhereOf("h1").count(a.id(), TierLevel.CPU));
        assertEquals(2, directory.elsewhereOf("h3").count(a.id(), TierLevel.CPU));
        assertEquals(2, directory.elsewhereOf("h1").count(a.id(), TierLevel.DISK), "h2's CPU copy and h3's disk copy");
        assertEquals(2, directory.cpuCopies(A));
        directory.remove("h2", A, TierLevel.CPU);
        assertEquals(0, directory.elsewhereOf("h1").count(a.id(), TierLevel.CPU));
    }

    /**
     * With a GPU tier, the second use of a model within the promotion window (both served from the CPU tier)
     * promotes it in the background; the third request finds it on the GPU.
     */
    @Test
    void aModelUsedTwiceWithinTheWindowIsServedFromTheGpuNext() {
        long second = 1_000_000_000L;
        Trace trace = new Trace("promote", "A A A", new int[]{A, A, A}, new long[]{0, second, 3 * second});
        SimResult r = Simulation.run(trace, fourModels(), oneHost(1), FastestTierPolicy.NAME, LruPolicy.NAME, 1);
        assertEquals(1, r.servedRemote());
        assertEquals(1, r.servedCpu());
        assertEquals(1, r.servedGpu());
        assertEquals(1, r.promotions());
    }
}
