package io.trims.gpu.exec;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.trims.gpu.graph.Graph;
import io.trims.gpu.graph.OnnxGraphReader;
import io.trims.gpu.plan.GpuSupport;
import io.trims.gpu.plan.Plan;
import io.trims.gpu.plan.Planner;
import io.trims.protocol.tensor.Tensor;
import io.trims.gpu.testing.RealModels;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
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
                Map<String, Tensor> inputs = RealModels.encoderInputs(batch, SEQ, 17 + batch);
                List<Tensor> ours = executor.run(inputs, Set.of());
                Map<String, float[]> reference = RealModels.onnxRuntime(env, session, inputs);
                assertEquals(graph.outputs().size(), ours.size());
                for (Tensor out : ours) {
                    float[] expected = reference.get(out.name());
                    float[] actual = (float[]) out.data();
                    assertEquals(expected.length, actual.length, out.name());
                    double maxDiff = RealModels.maxAbsDiff(expected, actual);
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
}
