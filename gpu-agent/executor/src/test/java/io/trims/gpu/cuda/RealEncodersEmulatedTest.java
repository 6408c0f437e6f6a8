package io.trims.gpu.cuda;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.trims.gpu.exec.PlanExecutor;
import io.trims.gpu.graph.OnnxGraphReader;
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
        Map<String, Tensor> inputs = RealModels.encoderInputs(BATCH, SEQ, 19);
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             CudaKernels kernels = new CudaKernels(device, device.stream(), resource);
             PlanExecutor<DeviceBuffer> executor = new PlanExecutor<>(Planner.plan(OnnxGraphReader.read(model)), kernels)) {
            executor.load();
            List<Tensor> ours = executor.run(inputs, Set.of());
            Map<String, float[]> reference = RealModels.onnxRuntime(env, session, inputs);
            for (Tensor out : ours) {
                float[] expected = reference.get(out.name());
                float[] actual = (float[]) out.data();
                assertEquals(expected.length, actual.length, out.name());
                double maxDiff = RealModels.maxAbsDiff(expected, actual);
                System.out.printf("%s (emulated CUDA launches) %s: max abs diff %.3g%n", resource, out.name(), maxDiff);
                assertTrue(maxDiff <= 1e-3, resource + " " + out.name() + " differs by " + maxDiff);
            }
            assertEquals(executor.deviceBytes(), device.bytes(resource), "accounting sees exactly the executor's bytes");
        }
        assertEquals(0, device.totalBytes(), "closing the executor frees weights and arena");
    }
}
