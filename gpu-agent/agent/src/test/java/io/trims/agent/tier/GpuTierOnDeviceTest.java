package io.trims.agent.tier;

import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.gpu.GpuProbe;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.testmodels.OnnxModels;
import io.trims.directory.ModelId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.trims.gpu.testing.RequiresGpu;

/** The GPU tier on a real device: exact bytes, runs on the GPU equal to ONNX Runtime, no leak over 100 cycles. */
@RequiresGpu
class GpuTierOnDeviceTest {

    private static final long MIB = 1L << 20;
    private static GpuTier tier;

    @TempDir
    static Path dir;

    @BeforeAll
    static void open() {
        assertTrue(GpuProbe.probe().present(), GpuProbe.probe().reason());
        GpuBackend backend = GpuBackends.open(GpuProbe.probe())
                .orElseThrow(() -> new AssertionError("this build has no GPU executor"));
        tier = new GpuTier(GpuBudget.of(backend.freeBytes(), -1, 1L << 30), new LruPolicy(), backend, Ticker.system());
    }

    @AfterAll
    static void close() {
        if (tier != null) {
            tier.close();
        }
    }

    @Test
    void aPromotedModelCostsItsDeviceBytesAndAnswersAsOnnxRuntimeDoes() throws Exception {
        ModelId id = new ModelId("dense", "1");
        Path file = Files.write(dir.resolve("dense.onnx"), OnnxModels.matMulAdd(256, 128, 3));
        long freeBefore = tier.backend().freeBytes();
        tier.reserve(id, GpuTier.estimateOf(file));
        long bytes = tier.load(id, file);
        tier.release(id);
        assertTrue(bytes >= 4L * (256 * 128 + 128), "at least the weights: " + bytes);
        assertEquals(bytes, tier.usedBytes());
        assertTrue(freeBefore - tier.backend().freeBytes() >= 0);
        float[] x = new float[4 * 256];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 17) / 17f - 0.5f;
        }
        Map<String, Tensor> inputs = Map.of("X", new Tensor("X", DataType.FP32, new long[]{4, 256}, x));
        LoadedModel onGpu = tier.acquire(id).orElseThrow();
        float[] gpu;
        try {
            gpu = (float[]) onGpu.run(inputs, Set.of()).get(0).data();
        } finally {
            tier.release(id);
        }
        try (OnnxCpuRuntime ort = new OnnxCpuRuntime(1); LoadedModel cpu = ort.load(file)) {
            float[] expected = (float[]) cpu.run(inputs, Set.of()).get(0).data();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], gpu[i], 1e-4, "element " + i);
            }
        }
        assertTrue(tier.evict(id));
        assertEquals(0, tier.usedBytes());
    }

    @Test
    void a100PromoteAndDemoteCyclesLeakNoDeviceMemory() throws Exception {
        Path file = Files.write(dir.resolve("cycle.onnx"), OnnxModels.matMulAdd(512, 512, 5));
        ModelId warmUp = new ModelId("warm-up", "1");
        tier.reserve(warmUp, GpuTier.estimateOf(file));
        tier.load(warmUp, file);
        tier.release(warmUp);
        tier.evict(warmUp);
        long before = tier.backend().freeBytes();
        for (int i = 0; i < 100; i++) {
            ModelId id = new ModelId("cycle", Integer.toString(i));
            tier.reserve(id, GpuTier.estimateOf(file));
            tier.load(id, file);
            tier.release(id);
            assertTrue(tier.evict(id));
        }
        long after = tier.backend().freeBytes();
        assertEquals(List.of(), tier.residents());
        // cuMemGetInfo counts in pages of at least 2 MiB; a leak of one buffer per cycle would show as far more.
        assertTrue(before - after < 2 * MIB, "free device memory went from " + before + " to " + after);
    }
}
