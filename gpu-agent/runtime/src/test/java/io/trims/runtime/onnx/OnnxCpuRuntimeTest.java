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

import java.nio.charset.StandardCharsets;
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
        Map<DataType, Object> samples = Map.ofEntries(
                Map.entry(DataType.BOOL, new boolean[]{true, false, true}),
                Map.entry(DataType.INT8, new byte[]{-128, 0, 127}),
                Map.entry(DataType.UINT8, new byte[]{(byte) 255, 0, 1}),
                Map.entry(DataType.INT16, new short[]{-30000, 0, 30000}),
                Map.entry(DataType.INT32, new int[]{Integer.MIN_VALUE, 0, Integer.MAX_VALUE}),
                Map.entry(DataType.INT64, new long[]{Long.MIN_VALUE, 0, Long.MAX_VALUE}),
                Map.entry(DataType.FP16, new short[]{0x3c00, (short) 0xc500, 0x0001}),
                Map.entry(DataType.BF16, new short[]{0x3f80, (short) 0xc049, 0x7f7f}),
                Map.entry(DataType.FP32, new float[]{-1.5f, 0, 3.25f}),
                Map.entry(DataType.FP64, new double[]{-1e300, 0, Math.PI}),
                Map.entry(DataType.BYTES, new byte[][]{"ünï".getBytes(StandardCharsets.UTF_8), {}, {'a'}}));
        assertEquals(DataType.values().length, samples.size(), "every type has a sample");
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
    void bytesThatAreNotUtf8CannotGoToAStringInput() throws Exception {
        try (LoadedModel model = load(OnnxModels.identity(DataType.BYTES))) {
            Tensor in = new Tensor("X", DataType.BYTES, new long[]{2}, new byte[][]{{'o', 'k'}, {(byte) 0xff}});
            InferenceException e = assertThrows(InferenceException.class, () -> model.run(Map.of("X", in), Set.of()));
            assertTrue(e.badInput());
            assertEquals("input 'X': BYTES element 1 is not UTF-8 text, which the model's STRING input needs", e.getMessage());
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
