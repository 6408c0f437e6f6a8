package io.trims.bench.sim;

import io.trims.agent.tier.CpuTier;
import io.trims.bench.sim.workload.Catalogue;
import io.trims.bench.sim.workload.ModelProfile;
import io.trims.bench.sim.workload.SimModel;
import io.trims.bench.sim.workload.Trace;
import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;
import io.trims.policy.eviction.EvictionContext;
import io.trims.policy.eviction.EvictionPolicies;
import io.trims.policy.placement.FastestTierPolicy;
import io.trims.policy.promotion.PromotionPolicy;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.ModelRuntime;
import io.trims.runtime.RuntimeLoadException;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.testmodels.OnnxModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's counts are the agent's: the same trace through the simulator and through the agent's real
 * {@link CpuTier} (real ONNX Runtime sessions of small generated models, the same policy, the same clock readings)
 * gives the same hits, misses and evictions.
 */
class SimMatchesCpuTierTest {

    private static final int[][] SHAPES = {{16, 16}, {32, 16}, {32, 32}, {64, 32}, {48, 48}, {64, 64}, {96, 64}};
    private static final long APART = 1_000_000_000_000L;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"lru", "lfu", "gdsf", "belady-am", "cluster-aware"})
    void theSimulatedCpuTierCountsWhatTheAgentsCounts(String eviction) throws Exception {
        List<Path> files = new ArrayList<>();
        List<SimModel> models = new ArrayList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            Path file = Files.write(dir.resolve("m" + i + ".onnx"), OnnxModels.matMulAdd(SHAPES[i][0], SHAPES[i][1], i));
            files.add(file);
            // Run times differ per model, so that use times (and LRU's order) are not all alike.
            models.add(new SimModel(i, ModelProfile.idOf(i), Files.size(file), 1_000_000L * (i + 1), 1));
        }
        Catalogue catalogue = new Catalogue(models);
        long capacity = (catalogue.totalBytes() * 2) / 5;
        HostSpec host = new HostSpec(1, 1, 0, capacity, 10 * catalogue.totalBytes(), 1e6, 2e6, 1e9,
                new PromotionPolicy(2, 60_000));
        Trace trace = skewed(120, catalogue.size());

        SimResult sim = Simulation.run(trace, catalogue, new ClusterSpec(1, host), FastestTierPolicy.NAME, eviction, 7);
        Counts live = replayOnCpuTier(trace, catalogue, files, host, eviction);

        assertEquals(live.hits, sim.servedCpu(), "hits");
        assertEquals(live.misses, sim.servedDisk() + sim.servedRemote(), "misses");
        assertEquals(live.evictions, sim.evictionsCpu(), "evictions");
        assertTrue(live.evictions > 10, "the trace must make the tier evict, not just fill it: " + live.evictions);
    }

    private record Counts(long hits, long misses, long evictions) {
    }

    /**
     * The agent's steps for each request, at the instants the simulation takes them: a hit is acquired and released
     * after its run; a miss reserves room once its file is on disk (after a fetch the first time), loads the session
     * (the runtime moves the clock by the simulated load time, so the tier measures the same load cost), releases
     * the loader's hold, then acquires it for the request.
     */
    private static Counts replayOnCpuTier(Trace trace, Catalogue catalogue, List<Path> files, HostSpec host,
                                          String eviction) {
        AtomicLong nanos = new AtomicLong();
        OnnxCpuRuntime onnx = new OnnxCpuRuntime(1);
        long[] loadNanos = new long[1];
        ModelRuntime timed = new ModelRuntime() {
            @Override
            public LoadedModel load(Path file) throws RuntimeLoadException {
                LoadedModel model = onnx.load(file);
                nanos.addAndGet(loadNanos[0]);
                return model;
            }

            @Override
            public void close() {
                onnx.close();
            }
        };
        CpuTier cpu = new CpuTier(host.cpuBytes(),
                EvictionPolicies.byName(eviction, EvictionContext.alone(TierLevel.CPU, nanos::get)), timed, nanos::get);
        long[] evictions = new long[1];
        cpu.listen((tier, resident) -> evictions[0]++);
        Set<Integer> onDisk = new HashSet<>();
        long hits = 0;
        long misses = 0;
        try {
            for (int i = 0; i < trace.size(); i++) {
                SimModel model = catalogue.model(trace.models()[i]);
                ModelId id = model.id();
                nanos.set(trace.arrivalNanos()[i]);
                if (cpu.acquire(id).isPresent()) {
                    hits++;
                } else {
                    misses++;
                    if (onDisk.add(model.index())) {
                        nanos.addAndGet(host.fetchNanos(model.bytes()));
                    }
                    cpu.reserve(id, model.bytes());
                    loadNanos[0] = host.diskLoadNanos(model.bytes());
                    cpu.load(id, files.get(model.index()));
                    cpu.release(id);
                    cpu.acquire(id).orElseThrow();
                }
                nanos.addAndGet(model.cpuRunNanos());
                cpu.release(id);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            cpu.close();
        }
        return new Counts(hits, misses, evictions[0]);
    }

    /** Requests one at a time, models drawn with a skew so that some are hot and some come back after a while. */
    private static Trace skewed(int n, int models) {
        Random random = new Random(42);
        int[] asked = new int[n];
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            asked[i] = Math.min(models - 1, (int) Math.floor(models * Math.pow(random.nextDouble(), 2)));
            at[i] = i * APART;
        }
        return new Trace("skewed", "squared uniform", asked, at);
    }
}
