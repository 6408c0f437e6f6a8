package io.trims.agent.gpu.cuda;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.trims.agent.gpu.exec.PlanExecutor;
import io.trims.agent.gpu.graph.OnnxGraphReader;
import io.trims.agent.gpu.plan.Planner;
import io.trims.agent.tensor.DataType;
import io.trims.agent.tensor.Tensor;
import io.trims.agent.testing.RealModels;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real graphs of all-MiniLM-L6-v2 and bge-small-en-v1.5 through the plan executor on {@link CudaKernels},
 * every launch interpreted instead of run on a GPU, against ONNX Runtime CPU: the whole CUDA launch path of a real
 * encoder (layouts, packed structs, grids, argument order, the kernel chosen per shape) checked without a GPU.
 */
class RealEncodersEmulatedTest {

    private static final int BATCH = 2;
    private static final int SEQ = 8;

    @ParameterizedTest
    @ValueSource(strings = {RealModels.MINILM, RealModels.BGE_SMALL})
    @Timeout(180)
    void matchesOnnxRuntime(String resource) throws Exception {
        byte[] model = RealModels.bytes(resource);
        EmulatedDevice device = new EmulatedDevice();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, Tensor> inputs = inputs();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             CudaKernels kernels = new CudaKernels(device, device.stream(), resource);
             PlanExecutor<DeviceBuffer> executor = new PlanExecutor<>(Planner.plan(OnnxGraphReader.read(model)), kernels)) {
            executor.load();
            List<Tensor> ours = executor.run(inputs, Set.of());
            Map<String, float[]> reference = onnxRuntime(env, session, inputs);
            for (Tensor out : ours) {
                float[] expected = reference.get(out.name());
                float[] actual = (float[]) out.data();
                assertEquals(expected.length, actual.length, out.name());
                double maxDiff = 0;
                for (int i = 0; i < actual.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
                }
                System.out.printf("%s (emulated CUDA launches) %s: max abs diff %.3g%n", resource, out.name(), maxDiff);
                assertTrue(maxDiff <= 1e-3, resource + " " + out.name() + " differs by " + maxDiff);
            }
            assertEquals(executor.deviceBytes(), device.bytes(resource), "accounting sees exactly the executor's bytes");
        }
        assertEquals(0, device.totalBytes(), "closing the executor frees weights and arena");
    }

    /** Token ids with [CLS] ... [SEP]; the second row is padded (mask 0) over its last three tokens. */
    private static Map<String, Tensor> inputs() {
        Random random = new Random(19);
        long[] ids = new long[BATCH * SEQ];
        long[] mask = new long[BATCH * SEQ];
        for (int b = 0; b < BATCH; b++) {
            int length = b == 1 ? SEQ - 3 : SEQ;
            for (int s = 0; s < SEQ; s++) {
                int i = b * SEQ + s;
                ids[i] = s == 0 ? 101 : s == length - 1 ? 102 : s < length ? 1000 + random.nextInt(20000) : 0;
                mask[i] = s < length ? 1 : 0;
            }
        }
        long[] shape = {BATCH, SEQ};
        Map<String, Tensor> inputs = new HashMap<>();
        inputs.put("input_ids", new Tensor("input_ids", DataType.INT64, shape, ids));
        inputs.put("attention_mask", new Tensor("attention_mask", DataType.INT64, shape, mask));
        inputs.put("token_type_ids", new Tensor("token_type_ids", DataType.INT64, shape, new long[BATCH * SEQ]));
        return inputs;
    }

    private static Map<String, float[]> onnxRuntime(OrtEnvironment env, OrtSession session, Map<String, Tensor> inputs)
            throws Exception {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (Tensor t : inputs.values()) {
                feeds.put(t.name(), OnnxTensor.createTensor(env, LongBuffer.wrap((long[]) t.data()), t.shape()));
            }
            Map<String, float[]> out = new HashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                result.forEach(e -> out.put(e.getKey(), ((OnnxTensor) e.getValue()).getFloatBuffer().array()));
            }
            return out;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }
}
