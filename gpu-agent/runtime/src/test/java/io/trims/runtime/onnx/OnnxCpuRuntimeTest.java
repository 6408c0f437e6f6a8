package io.trims.runtime.onnx;

import io.trims.runtime.InferenceException;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.RuntimeLoadException;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.testmodels.OnnxModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxCpuRuntimeTest {

    private static final OnnxCpuRuntime RUNTIME = new OnnxCpuRuntime(1);

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        RUNTIME.close();
    }

    private LoadedModel load(byte[] model) throws Exception {
        Path file = Files.write(dir.resolve("m.onnx"), model);
        return RUNTIME.load(file);
    }

    @Test
    void matMulAddGivesWhatTheArithmeticGives() throws Exception {
        OnnxModels.MatMulAdd spec = OnnxModels.MatMulAdd.of(4, 3, 7);
        float[] x = {1, 2, 3, 4, -1, 0.5f, 0, 2};
        try (LoadedModel model = load(spec.bytes())) {
            assertEquals(Set.of("X"), model.inputNames());
            List<Tensor> out = model.run(Map.of("X", new Tensor("X", DataType.FP32, new long[]{2, 4}, x)), Set.of());
            assertEquals(1, out.size());
            assertEquals("Y", out.get(0).name());
            assertArrayEquals(new long[]{2, 3}, out.get(0).shape());
            assertArrayEquals(spec.apply(x), (float[]) out.get(0).data(), 1e-5f);
        }
    }

    @Test
    void everyElementTypeRoundTrips() throws Exception {
        Map<DataType, Object> samples = Map.of(
                DataType.BOOL, new boolean[]{true, false, true},
                DataType.INT8, new byte[]{-128, 0, 127},
                DataType.UINT8, new byte[]{(byte) 255, 0, 1},
                DataType.INT16, new short[]{-30000, 0, 30000},
                DataType.INT32, new int[]{Integer.MIN_VALUE, 0, Integer.MAX_VALUE},
                DataType.INT64, new long[]{Long.MIN_VALUE, 0, Long.MAX_VALUE},
                DataType.FP32, new float[]{-1.5f, 0, 3.25f},
                DataType.FP64, new double[]{-1e300, 0, Math.PI});
        for (Map.Entry<DataType, Object> sample : samples.entrySet()) {
            try (LoadedModel model = load(OnnxModels.identity(sample.getKey()))) {
                Tensor in = new Tensor("X", sample.getKey(), new long[]{3}, sample.getValue());
                List<Tensor> out = model.run(Map.of("X", in), Set.of("Y"));
                assertEquals(new Tensor("Y", sample.getKey(), new long[]{3}, sample.getValue()), out.get(0),
                        "round trip of " + sample.getKey());
            }
        }
    }

    @Test
    void aWrongShapeIsTheCallersMistake() throws Exception {
        try (LoadedModel model = load(OnnxModels.matMulAdd(4, 3, 1))) {
            InferenceException e = assertThrows(InferenceException.class, () -> model.run(
                    Map.of("X", new Tensor("X", DataType.FP32, new long[]{1, 5}, new float[5])), Set.of()));
            assertTrue(e.badInput(), e.getMessage());
            InferenceException missing = assertThrows(InferenceException.class, () -> model.run(Map.of(), Set.of()));
            assertTrue(missing.badInput());
            assertTrue(missing.getMessage().contains("missing input 'X'"), missing.getMessage());
        }
    }

    @Test
    void aFileThatIsNotAModelFailsToLoadWithItsName() throws Exception {
        Path file = Files.write(dir.resolve("garbage.onnx"), new byte[]{1, 2, 3, 4});
        RuntimeLoadException e = assertThrows(RuntimeLoadException.class, () -> RUNTIME.load(file));
        assertTrue(e.getMessage().contains("garbage.onnx"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
