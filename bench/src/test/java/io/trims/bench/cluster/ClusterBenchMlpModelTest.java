package io.trims.bench.cluster;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterBenchMlpModelTest {

    @TempDir
    Path dir;

    @Test
    void theStreamedFileParsesAsTheModelItDescribes() throws Exception {
        MlpModel shape = new MlpModel(64, 3, 8, 5);
        Path file = dir.resolve("mlp.onnx");
        long bytes = shape.write(file);

        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals(Files.size(file), bytes);
        assertEquals(3 * 3 + 2, model.getGraph().getNodeCount(), "MatMul, Add, Relu per layer; MatMul, Add head");
        assertEquals(8, model.getGraph().getInitializerCount());
        long weightBytes = model.getGraph().getInitializerList().stream().mapToLong(t -> t.getRawData().size()).sum();
        assertEquals(shape.weightBytes(), weightBytes);
        TensorProto head = model.getGraph().getInitializer(6);
        assertEquals(List.of(64L, 8L), head.getDimsList());
        assertTrue(bytes - weightBytes < 2048, "the file is its weights and a small graph");
    }

    @Test
    void sameSeedSameBytesAndOnnxRuntimeRunsIt() throws Exception {
        MlpModel shape = new MlpModel(32, 2, 4, 9);
        Path a = dir.resolve("a.onnx");
        Path b = dir.resolve("b.onnx");
        shape.write(a);
        shape.write(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));

        float[] x = new float[32];
        Arrays.fill(x, 0.25f);
        try (OnnxCpuRuntime runtime = new OnnxCpuRuntime(1); LoadedModel loaded = runtime.load(a)) {
            List<Tensor> out = loaded.run(Map.of(MlpModel.INPUT,
                    new Tensor(MlpModel.INPUT, DataType.FP32, new long[]{1, 32}, x)), Set.of());
            assertArrayEquals(new long[]{1, 4}, out.get(0).shape());
            for (float v : (float[]) out.get(0).data()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }
}
