package io.trims.agent.residency;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.gpu.GpuProbe;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.testmodels.OnnxModels;
import io.trims.agent.testing.TestCluster;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.GpuBackend;
import io.trims.agent.tier.GpuBackends;
import io.trims.agent.tier.GpuTier;
import io.trims.policy.promotion.PromotionPolicy;
import io.trims.directory.HostRecord;
import io.trims.directory.ModelRecord;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.trims.agent.testing.TestCluster.await;
import static io.trims.agent.testing.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.trims.gpu.testing.RequiresGpu;

/**
 * Promotion and demotion through the residency manager on a real GPU, with a real directory and object store.
 * Tagged {@code cluster} as well: it needs Hazelcast and S3Proxy, so it runs with Maven on a GPU host
 * ({@code mvn -pl gpu-agent -am test -Dgroups=gpu -Dtrims.test.excludedGroups=none}), not from the trimmed class
 * path of device-test.sh.
 */
@RequiresGpu
@Tag("cluster")
class GpuPromotionOnDeviceTest {

    private static final int IN = 64;
    private static final int OUT = 64;

    @TempDir
    static Path shared;
    @TempDir
    Path cacheDir;

    private static TestCluster cluster;
    private static Vertx vertx;
    private ModelResidency residency;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(GpuProbe.probe().present(), GpuProbe.probe().reason());
        cluster = new TestCluster(shared.resolve("s3"));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
        cluster.close();
    }

    @AfterEach
    void stopResidency() throws Exception {
        if (residency != null) {
            await(residency.stop());
        }
    }

    private static GpuBackend backend() {
        return GpuBackends.open(GpuProbe.probe()).orElseThrow(() -> new AssertionError("no GPU executor"));
    }

    private ModelResidency residency(long gpuBudget) throws Exception {
        return residency(gpuBudget, backend());
    }

    private ModelResidency residency(long gpuBudget, GpuBackend backend) throws Exception {
        String host = "gpu-host-" + UUID.randomUUID().toString().substring(0, 8);
        residency = new ModelResidency(vertx, host, cluster.directory(), cluster.store(),
                new DiskTier(cacheDir, 1L << 30, new LruPolicy(Ticker.system()), Ticker.system()),
                new CpuTier(1L << 30, new LruPolicy(Ticker.system()), new OnnxCpuRuntime(1), Ticker.system()),
                new GpuTier(gpuBudget, new LruPolicy(Ticker.system()), backend, Ticker.system()), new PromotionPolicy(2, 60_000),
                new AgentMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), host), 4);
        await(residency.start("http://127.0.0.1:1"));
        return residency;
    }

    private static float[] run(ModelResidency r, ModelRecord m, TierLevel expected) throws Exception {
        float[] x = new float[2 * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 11) / 11f;
        }
        try (Served s = await(r.acquire(m))) {
            assertEquals(expected, s.runsIn());
            return (float[]) s.run(Map.of("X", new Tensor("X", DataType.FP32, new long[]{2, IN}, x)), Set.of())
                    .get(0).data();
        }
    }

    private static Optional<Residency> gpuCopy(String host, ModelRecord m) {
        return cluster.directory().snapshot().residencies().stream()
                .filter(x -> x.host().equals(host) && x.modelId().equals(m.id()) && x.tier() == TierLevel.GPU)
                .findFirst();
    }

    @Test
    void theSecondUsePromotesInTheBackgroundAndLaterUsesRunOnTheGpu() throws Exception {
        ModelResidency r = residency(1L << 30);
        ModelRecord m = cluster.registerMatMulAdd("dense-" + UUID.randomUUID().toString().substring(0, 6), "1", IN, OUT, 3);
        float[] onCpu = run(r, m, TierLevel.CPU);
        run(r, m, TierLevel.CPU);
        eventually(10_000, "the GPU copy is READY", () -> gpuCopy(r.host(), m).filter(c -> c.state() == ResidencyState.READY).isPresent());
        float[] onGpu = run(r, m, TierLevel.GPU);
        assertArrayEquals(onCpu, onGpu, 1e-4f);
        GpuTier gpu = r.gpuTier().orElseThrow();
        long bytes = gpuCopy(r.host(), m).orElseThrow().bytes();
        assertEquals(gpu.usedBytes(), bytes, "the residency carries the exact device bytes");
        HostRecord host = cluster.directory().host(r.host()).orElseThrow();
        assertTrue(host.hasGpu());
        assertEquals(bytes, host.gpu().usedBytes());
        assertTrue(r.cpuTier().contains(m.id()), "the CPU copy stays");
    }

    @Test
    void aCpuOnlyModelIsNeverPromotedAndTheLeastRecentlyUsedIsDemotedToCpu() throws Exception {
        ModelRecord a = cluster.registerMatMulAdd("a-" + UUID.randomUUID().toString().substring(0, 6), "1", IN, OUT, 1);
        GpuBackend backend = backend();
        long oneModel;
        Path file = Files.write(cacheDir.resolve("measure.onnx"), OnnxModels.matMulAdd(IN, OUT, 1));
        try (LoadedModel probe = backend.runtime().load(file)) {
            probe.run(Map.of("X", new Tensor("X", DataType.FP32, new long[]{2, IN}, new float[2 * IN])), Set.of());
            oneModel = backend.deviceBytes(probe);
        }
        Files.delete(file);
        // Room for one model after its first run, not two: promoting the second demotes the first.
        ModelResidency r = residency(oneModel + oneModel / 2, backend);
        ModelRecord b = cluster.registerMatMulAdd("b-" + UUID.randomUUID().toString().substring(0, 6), "1", IN, OUT, 2);
        ModelRecord cpuOnly = cluster.registerMatMulAdd("c-" + UUID.randomUUID().toString().substring(0, 6), "1", IN, OUT, 4)
                .withGpuUnsupportedReason("operator Foo has no GPU kernel (test)");
        cluster.directory().putModel(cpuOnly);
        for (int i = 0; i < 3; i++) {
            run(r, cpuOnly, TierLevel.CPU);
        }
        run(r, a, TierLevel.CPU);
        run(r, a, TierLevel.CPU);
        eventually(10_000, "a is promoted", () -> r.gpuTier().orElseThrow().contains(a.id()));
        run(r, b, TierLevel.CPU);
        run(r, b, TierLevel.CPU);
        eventually(10_000, "b is promoted", () -> r.gpuTier().orElseThrow().contains(b.id()));
        eventually(10_000, "a is demoted", () -> gpuCopy(r.host(), a).isEmpty());
        run(r, a, TierLevel.CPU);
        assertTrue(gpuCopy(r.host(), cpuOnly).isEmpty());
    }
}
