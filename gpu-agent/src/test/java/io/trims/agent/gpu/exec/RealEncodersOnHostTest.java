package io.trims.agent.gpu.exec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.trims.agent.gpu.graph.Graph;
import io.trims.agent.gpu.graph.OnnxGraphReader;
import io.trims.agent.gpu.plan.GpuSupport;
import io.trims.agent.gpu.plan.Plan;
import io.trims.agent.gpu.plan.Planner;
import io.trims.agent.tensor.DataType;
import io.trims.agent.tensor.Tensor;
import io.trims.agent.testing.RealModels;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real graphs of all-MiniLM-L6-v2 and bge-small-en-v1.5 run through the plan executor on {@link HostKernels},
 * compared with ONNX Runtime CPU on the same file, at batch 1 and 2, sequence 8.
 */
class RealEncodersOnHostTest {

    private static final int SEQ = 8;

    @ParameterizedTest
    @ValueSource(strings = {RealModels.MINILM, RealModels.BGE_SMALL})
    @Timeout(120)
    void matchesOnnxRuntime(String resource) throws Exception {
        byte[] model = RealModels.bytes(resource);
        Graph graph = OnnxGraphReader.read(model);
        assertEquals(java.util.Optional.empty(), GpuSupport.check(graph), "GPU support for " + resource);
        Plan plan = Planner.plan(graph);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        HostKernels kernels = new HostKernels();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             PlanExecutor<HostBuffer> executor = new PlanExecutor<>(plan, kernels)) {
            executor.load();
            for (int batch : new int[]{1, 2}) {
                Map<String, Tensor> inputs = inputs(batch, 17 + batch);
                List<Tensor> ours = executor.run(inputs, Set.of());
                Map<String, float[]> reference = onnxRuntime(env, session, inputs);
                assertEquals(graph.outputs().size(), ours.size());
                for (Tensor out : ours) {
                    float[] expected = reference.get(out.name());
                    float[] actual = (float[]) out.data();
                    assertEquals(expected.length, actual.length, out.name());
                    double maxDiff = 0;
                    for (int i = 0; i < actual.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
                    }
                    System.out.printf("%s batch %d output %s %s: max abs diff %.3g; weights %d B, arena %d B%n", resource,
                            batch, out.name(), java.util.Arrays.toString(out.shape()), maxDiff, executor.weightBytes(),
                            executor.arenaBytes());
                    assertTrue(maxDiff <= 1e-3, resource + " " + out.name() + " batch " + batch + " differs by " + maxDiff);
                }
            }
            assertEquals(executor.deviceBytes(), kernels.allocatedBytes());
        }
        assertEquals(0, kernels.allocatedBytes(), "closing the executor frees weights and arena");
    }

    /** Token ids with [CLS] ... [SEP]; the second row is padded (mask 0) over its last three tokens. */
    private static Map<String, Tensor> inputs(int batch, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[batch * SEQ];
        long[] mask = new long[batch * SEQ];
        for (int b = 0; b < batch; b++) {
            int length = b == 1 ? SEQ - 3 : SEQ;
            for (int s = 0; s < SEQ; s++) {
                int i = b * SEQ + s;
                ids[i] = s == 0 ? 101 : s == length - 1 ? 102 : s < length ? 1000 + random.nextInt(20000) : 0;
                mask[i] = s < length ? 1 : 0;
            }
        }
        long[] shape = {batch, SEQ};
        Map<String, Tensor> inputs = new HashMap<>();
        inputs.put("input_ids", new Tensor("input_ids", DataType.INT64, shape, ids));
        inputs.put("attention_mask", new Tensor("attention_mask", DataType.INT64, shape, mask));
        inputs.put("token_type_ids", new Tensor("token_type_ids", DataType.INT64, shape, new long[batch * SEQ]));
        return inputs;
    }

    private static Map<String, float[]> onnxRuntime(OrtEnvironment env, OrtSession session, Map<String, Tensor> inputs)
            throws Exception {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (Tensor t : inputs.values()) {
                feeds.put(t.name(), OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap((long[]) t.data()), t.shape()));
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
