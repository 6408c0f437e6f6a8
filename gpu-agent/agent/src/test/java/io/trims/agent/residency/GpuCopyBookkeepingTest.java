package io.trims.agent.residency;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.agent.testing.TestCluster;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.GpuTier;
import io.trims.policy.promotion.PromotionPolicy;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierLevel;
import io.trims.agent.testing.BookkeepingGpu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.trims.agent.testing.TestCluster.await;
import static io.trims.agent.testing.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the residency manager publishes about a GPU copy, with a real directory and object store.
 *
 * <p>This machine has no GPU, so the executor here is a double whose models claim a device-byte figure a test can
 * change and run nothing. It stands in ONLY for the GPU tier's accounting; promotion on a real device is tested by
 * {@link GpuPromotionOnDeviceTest}.
 */
class GpuCopyBookkeepingTest extends ResidencyFixture {

    private ModelResidency residency;

    @AfterEach
    void stopResidency() throws Exception {
        await(residency.stop());
    }

    @Test
    void aCopyWhoseArenaOutgrowsTheTierIsDemotedAndNotRepublishedReady() throws Exception {
        String host = "host-" + UUID.randomUUID().toString().substring(0, 8);
        residency = new ModelResidency(vertx, host, cluster.directory(), cluster.store(),
                new DiskTier(cacheDir, 4 * modelBytes, new LruPolicy(Ticker.system()), Ticker.system()),
                new CpuTier(4 * modelBytes, new LruPolicy(Ticker.system()), new OnnxCpuRuntime(1), Ticker.system()),
                new GpuTier(2 * modelBytes, new LruPolicy(Ticker.system()), new BookkeepingGpu(name -> 100), Ticker.system()), new PromotionPolicy(2, 60_000),
                new AgentMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), host), 2);
        await(residency.start("http://127.0.0.1:1"));
        GpuTier gpu = residency.gpuTier().orElseThrow();
        ModelRecord m = cluster.registerMatMulAdd("grows-" + UUID.randomUUID().toString().substring(0, 6), "1", IN, OUT, 1);
        await(residency.acquire(m)).close();
        await(residency.acquire(m)).close();
        eventually(5000, "promoted", () -> gpu.contains(m.id()));
        eventually(2000, "GPU copy published", () -> gpuCopies(host, m) == 1);

        BookkeepingGpu.DeviceModel onGpu;
        try (Served s = await(residency.acquire(m))) {
            assertEquals(TierLevel.GPU, s.runsIn());
            onGpu = (BookkeepingGpu.DeviceModel) s.model();
            onGpu.claim(3 * modelBytes);
        }

        assertFalse(gpu.contains(m.id()), "the arena outgrew the whole tier: the copy is demoted once idle");
        assertTrue(onGpu.isClosed());
        assertEquals(0, gpu.usedBytes());
        assertEquals(0, gpuCopies(host, m), "no READY record outlives the demoted copy");
    }

    private static long gpuCopies(String host, ModelRecord m) {
        return cluster.directory().snapshot().residencies().stream()
                .filter(x -> x.host().equals(host) && x.modelId().equals(m.id()) && x.tier() == TierLevel.GPU)
                .count();
    }
}
