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

/**
 * The GPU tier on a real device: its count of a model's bytes is what the device gives up, runs on the GPU equal
 * ONNX Runtime's, demotion gives the memory back, no leak over 100 cycles.
 */
@RequiresGpu
class GpuTierOnDeviceTest {

    /** cuMemGetInfo counts in pages of at least 2 MiB. */
    private static final long PAGE = 2L << 20;
    private static GpuTier tier;

    @TempDir
    static Path dir;

    @BeforeAll
    static void open() {
        assertTrue(GpuProbe.probe().present(), GpuProbe.probe().reason());
        GpuBackend backend = GpuBackends.open(GpuProbe.probe())
                .orElseThrow(() -> new AssertionError("this build has no GPU executor"));
        tier = new GpuTier(GpuBudget.of(backend.freeBytes(), -1, 1L << 30), new LruPolicy(Ticker.system()), backend, Ticker.system());
    }

    @AfterAll
    static void close() {
        if (tier != null) {
            tier.close();
        }
    }

    /** Loads, releases; returns the device bytes. */
    private static long promote(ModelId id, Path file) throws Exception {
        tier.reserve(id, GpuTier.estimateOf(file));
        long bytes = tier.load(id, file);
        tier.release(id);
        return bytes;
    }

    /**
     * A first load and run set up what the context keeps for good (the kernels' module, launch resources), which
     * no model's count includes; afterwards free device memory moves with the models alone.
     */
    private static void warmUp(Path file, int in) throws Exception {
        ModelId warmUp = new ModelId("warm-up", file.getFileName().toString());
        promote(warmUp, file);
        LoadedModel model = tier.acquire(warmUp).orElseThrow();
        try {
            model.run(Map.of("X", new Tensor("X", DataType.FP32, new long[]{4, in}, new float[4 * in])), Set.of());
        } finally {
            tier.release(warmUp);
        }
        assertTrue(tier.evict(warmUp));
    }

    @Test
    void aPromotedModelCostsItsDeviceBytesAndAnswersAsOnnxRuntimeDoes() throws Exception {
        int in = 256;
        int out = 8192;
        long weights = 4L * (in * out + out);
        Path file = Files.write(dir.resolve("dense.onnx"), OnnxModels.matMulAdd(in, out, 3));
        warmUp(file, in);
        ModelId id = new ModelId("dense", "1");
        long freeBefore = tier.backend().freeBytes();
        long bytes = promote(id, file);
        long taken = freeBefore - tier.backend().freeBytes();
        assertTrue(bytes >= weights, "at least the weights: " + bytes);
        assertEquals(bytes, tier.usedBytes());
        assertTrue(taken >= weights, "the device gave at least the weights: " + taken + " of " + weights);
        // The device's free figure moves in pages; the tier's exact count must match it to within that grain.
        assertTrue(Math.abs(taken - bytes) <= PAGE, "the device gave " + taken + " bytes, the tier counts " + bytes);
        float[] x = new float[4 * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 17) / 17f - 0.5f;
        }
        Map<String, Tensor> inputs = Map.of("X", new Tensor("X", DataType.FP32, new long[]{4, in}, x));
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
        long back = tier.backend().freeBytes();
        assertTrue(Math.abs(freeBefore - back) <= PAGE, "free device memory went from " + freeBefore + " to " + back
                + " over a promotion and its demotion");
    }

    @Test
    void a100PromoteAndDemoteCyclesLeakNoDeviceMemory() throws Exception {
        Path file = Files.write(dir.resolve("cycle.onnx"), OnnxModels.matMulAdd(512, 512, 5));
        warmUp(file, 512);
        long before = tier.backend().freeBytes();
        for (int i = 0; i < 100; i++) {
            ModelId id = new ModelId("cycle", Integer.toString(i));
            promote(id, file);
            assertTrue(tier.evict(id));
        }
        long after = tier.backend().freeBytes();
        assertEquals(List.of(), tier.residents());
        // A leak of one buffer per cycle would show as far more than a page.
        assertTrue(before - after < PAGE, "free device memory went from " + before + " to " + after);
    }
}
