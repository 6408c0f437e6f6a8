package io.trims.gpu.cuda;

import io.trims.gpu.GpuProbe;
import io.trims.testmodels.UniformFloats;
import io.trims.runtime.InferenceException;
import io.trims.runtime.LoadedModel;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.testmodels.OnnxModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.trims.gpu.testing.RequiresGpu;

/** Whole models through {@link GpuRuntime}: results, exact device bytes, and no leak over 100 load/unload cycles. */
@RequiresGpu
class GpuRuntimeOnDeviceTest {

    private static final long MIB = 1 << 20;
    private static GpuRuntime runtime;
    @TempDir
    static Path dir;

    @BeforeAll
    static void open() {
        assertTrue(GpuProbe.probe().present(), GpuProbe.probe().reason());
        runtime = GpuRuntime.open(0);
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @Test
    void matMulAddAgreesWithTheHandComputation() throws Exception {
        OnnxModels.MatMulAdd model = OnnxModels.MatMulAdd.of(67, 45, 3);
        Path file = Files.write(dir.resolve("mma.onnx"), model.bytes());
        float[] x = UniformFloats.draw(new Random(5), 5 * 67);
        try (LoadedModel loaded = runtime.load(file)) {
            long bytes = runtime.deviceBytes(loaded);
            assertTrue(bytes >= 4L * (67 * 45 + 45), "weights are on the device: " + bytes);
            List<Tensor> out = loaded.run(Map.of("X", new Tensor("X", DataType.FP32, new long[] {5, 67}, x)), Set.of());
            assertEquals(1, out.size());
            assertArrayEquals(new long[] {5, 45}, out.get(0).shape());
            assertArrayEquals(model.apply(x), (float[]) out.get(0).data(), 1e-4f);
            assertTrue(runtime.deviceBytes(loaded) > bytes, "the run added its activation arena");
            InferenceException bad = assertThrows(InferenceException.class,
                    () -> loaded.run(Map.of("Z", new Tensor("Z", DataType.FP32, new long[] {1}, new float[1])), Set.of()));
            assertTrue(bad.badInput(), bad.getMessage());
        }
        assertEquals(0, runtime.memory().totalBytes());
    }

    @Test
    void hundredLoadUnloadCyclesLeaveDeviceMemoryAsItWas() throws Exception {
        Path file = Files.write(dir.resolve("cycle.onnx"), OnnxModels.matMulAdd(256, 512, 9));
        Map<String, Tensor> input = Map.of("X", new Tensor("X", DataType.FP32, new long[] {8, 256}, new float[8 * 256]));
        cycle(file, input); // the first load may grow driver-side pools once
        long before = runtime.memInfo().freeBytes();
        for (int i = 0; i < 100; i++) {
            cycle(file, input);
        }
        long after = runtime.memInfo().freeBytes();
        System.out.printf("100 load/run/unload cycles: free device memory %d -> %d bytes%n", before, after);
        assertEquals(0, runtime.memory().totalBytes());
        assertTrue(Math.abs(before - after) <= MIB, "no device memory leaked: " + before + " -> " + after);
    }

    private static void cycle(Path file, Map<String, Tensor> input) throws Exception {
        try (LoadedModel loaded = runtime.load(file)) {
            assertTrue(runtime.deviceBytes(loaded) >= 4L * (256 * 512 + 512));
            loaded.run(input, Set.of());
        }
    }
}
