package io.trims.gpu.exec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.trims.testmodels.UniformFloats;
import io.trims.gpu.graph.Graph;
import io.trims.gpu.graph.OnnxGraphReader;
import io.trims.gpu.plan.GpuSupport;
import io.trims.gpu.plan.Planner;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.testmodels.OnnxGraphBuilder;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.trims.testmodels.OnnxGraphBuilder.floats;
import static io.trims.testmodels.OnnxGraphBuilder.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One generated graph (opset 20) that uses every device operator, including those the real encoders lack (Gemm with
 * transA/transB/alpha/beta, LayerNormalization, both Gelu forms, Where, Equal, Expand, negative-step Slice, INT64
 * arithmetic, batch-broadcast MatMul, inference Dropout), run through the plan executor on {@link HostKernels} and through ONNX Runtime.
 */
class OperatorZooTest {

    private static final Random RANDOM = new Random(11);
    private final List<String> outputs = new ArrayList<>();
    private final OnnxGraphBuilder b = new OnnxGraphBuilder(20);

    private void op(String op, String out, String[] in, Object... attributes) {
        b.node(op, out, in, attributes);
    }

    private void out(String name, DataType type) {
        outputs.add(name);
        b.unshapedOutput(name, type);
    }

    private static float[] random(int n) {
        return UniformFloats.draw(RANDOM, n);
    }

    private byte[] model() {
        b.input("X", DataType.FP32, "batch", 4, 6).input("M", DataType.INT64, "batch", 4).input("A", DataType.FP32, 3, 5);
        b.initializer(floats("W", random(36), 6, 6)).initializer(floats("Wb", random(90), 3, 6, 5))
                .initializer(floats("Wg", random(20), 4, 5)).initializer(floats("Wg2", random(20), 5, 4))
                .initializer(floats("C", random(4), 4)).initializer(floats("scale", random(6), 6))
                .initializer(floats("bias", random(6), 6)).initializer(floats("Emb", random(60), 10, 6))
                .initializer(floats("one", new float[]{1f})).initializer(floats("big", new float[]{-10000f}))
                .initializer(floats("two", new float[]{2f})).initializer(floats("minus5", new float[]{-5f}))
                .initializer(floats("col", random(4), 4, 1)).initializer(longs("zeroL", new long[]{0}))
                .initializer(longs("threeL", new long[]{3})).initializer(longs("idx", new long[]{2, 0}, 2))
                .initializer(longs("ax1", new long[]{1}, 1)).initializer(longs("ax12", new long[]{1, 2}, 2)).initializer(longs("axLast", new long[]{-1}, 1))
                .initializer(longs("s3", new long[]{3}, 1)).initializer(longs("eNeg", new long[]{-100}, 1))
                .initializer(longs("stepNeg", new long[]{-2}, 1)).initializer(longs("s1", new long[]{1}, 1))
                .initializer(longs("e5", new long[]{5}, 1)).initializer(longs("ax2", new long[]{2}, 1))
                .initializer(longs("st2", new long[]{2}, 1)).initializer(floats("three", new float[]{3.25f}));
        op("Gemm", "G", new String[]{"A", "Wg", "C"}, "transB", 1, "alpha", 0.5f, "beta", 2f);
        op("Transpose", "At", new String[]{"A"}, "perm", new long[]{1, 0});
        op("Gemm", "G2", new String[]{"At", "Wg2"}, "transA", 1);
        op("MatMul", "XM", new String[]{"X", "W"});
        op("Transpose", "XMt", new String[]{"XM"}, "perm", new long[]{0, 2, 1});
        op("MatMul", "S", new String[]{"X", "XMt"});
        op("Unsqueeze", "XMu", new String[]{"XM", "ax1"});
        op("MatMul", "MB", new String[]{"XMu", "Wb"});
        op("Transpose", "MBt", new String[]{"MB"}, "perm", new long[]{0, 3, 1, 2});
        op("Cast", "Mf", new String[]{"M"}, "to", 1);
        op("Unsqueeze", "Mu", new String[]{"Mf", "ax1"});
        op("Sub", "inv", new String[]{"one", "Mu"});
        op("Mul", "bias4", new String[]{"inv", "big"});
        op("Add", "Sm", new String[]{"S", "bias4"});
        op("Softmax", "P", new String[]{"Sm"}, "axis", -1);
        op("Softmax", "P1", new String[]{"S"}, "axis", 1);
        op("LayerNormalization", "LN", new String[]{"XM", "scale", "bias"}, "epsilon", 1e-5f);
        op("Gelu", "GE", new String[]{"LN"});
        op("Gelu", "GT", new String[]{"LN"}, "approximate", "tanh");
        op("Relu", "RE", new String[]{"LN"});
        op("Sigmoid", "SG", new String[]{"LN"});
        op("Tanh", "TH", new String[]{"LN"});
        op("Neg", "NG", new String[]{"LN"});
        op("Exp", "EX", new String[]{"LN"});
        op("Erf", "ER", new String[]{"LN"});
        op("Pow", "PW", new String[]{"LN", "two"});
        op("Add", "PW1", new String[]{"PW", "one"});
        op("Sqrt", "SQ", new String[]{"PW1"});
        op("Div", "DV", new String[]{"LN", "SQ"});
        op("ReduceMean", "RM", new String[]{"XM", "axLast"});
        op("ReduceMean", "RM2", new String[]{"XM", "ax12"}, "keepdims", 0);
        op("Equal", "EQ", new String[]{"M", "zeroL"});
        op("Where", "WH", new String[]{"EQ", "minus5", "Mf"});
        op("Cast", "EQf", new String[]{"EQ"}, "to", 1);
        op("Shape", "Sshape", new String[]{"S"});
        op("Expand", "EXP", new String[]{"col", "Sshape"});
        op("Gather", "GA1", new String[]{"XM", "idx"}, "axis", 1);
        op("Gather", "GA0", new String[]{"Emb", "M"}, "axis", 0);
        op("Concat", "CC", new String[]{"XM", "LN"}, "axis", 2);
        op("Concat", "CC0", new String[]{"X", "XM"}, "axis", 0);
        op("Slice", "SLn", new String[]{"XM", "s3", "eNeg", "ax1", "stepNeg"});
        op("Slice", "SLp", new String[]{"X", "s1", "e5", "ax2", "st2"});
        op("Add", "MM", new String[]{"M", "M"});
        op("Mul", "M3", new String[]{"M", "threeL"});
        op("Mul", "X3", new String[]{"X", "three"});
        op("Cast", "X3i", new String[]{"X3"}, "to", 7);
        op("Flatten", "FL", new String[]{"CC"}, "axis", 2);
        op("Squeeze", "SQZ", new String[]{"RM", "axLast"});
        op("Dropout", "DO", new String[]{"DV"});
        op("Relu", "DOr", new String[]{"DO"});
        for (String f : List.of("G", "G2", "S", "MBt", "P", "P1", "LN", "GE", "GT", "RE", "SG", "TH", "NG", "EX", "ER",
                "DV", "RM", "RM2", "WH", "EQf", "EXP", "GA1", "GA0", "CC0", "SLn", "SLp", "FL", "SQZ", "DOr")) {
            out(f, DataType.FP32);
        }
        out("EQ", DataType.BOOL);
        out("MM", DataType.INT64);
        out("M3", DataType.INT64);
        out("X3i", DataType.INT64);
        return b.bytes();
    }

    @Test
    void everyDeviceOperatorMatchesOnnxRuntime() throws Exception {
        byte[] model = model();
        Graph graph = OnnxGraphReader.read(model);
        assertEquals(java.util.Optional.empty(), GpuSupport.check(graph));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        HostKernels kernels = new HostKernels();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             PlanExecutor<HostBuffer> executor = new PlanExecutor<>(Planner.plan(graph), kernels)) {
            executor.load();
            for (int batch : new int[]{2, 3}) {
                Map<String, Tensor> inputs = new HashMap<>();
                long[] mask = new long[batch * 4];
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = i % 3 == 2 ? 0 : i % 10;
                }
                inputs.put("X", floats("X", random(batch * 24), batch, 4, 6));
                inputs.put("M", longs("M", mask, batch, 4));
                inputs.put("A", floats("A", random(15), 3, 5));
                List<Tensor> ours = executor.run(inputs, Set.of());
                Map<String, Object> expected = onnxRuntime(env, session, inputs);
                assertEquals(outputs, ours.stream().map(Tensor::name).toList());
                for (Tensor t : ours) {
                    compare(t, expected.get(t.name()), batch);
                }
            }
        }
        assertEquals(0, kernels.allocatedBytes());
    }

    private static void compare(Tensor ours, Object theirs, int batch) {
        String what = ours.name() + " at batch " + batch;
        switch (ours.type()) {
            case FP32 -> {
                float[] a = (float[]) ours.data();
                float[] e = (float[]) theirs;
                assertEquals(e.length, a.length, what);
                for (int i = 0; i < a.length; i++) {
                    assertTrue(Math.abs(a[i] - e[i]) <= 1e-4 * Math.max(1, Math.abs(e[i])), what + "[" + i + "]: " + a[i] + " vs " + e[i]);
                }
            }
            case INT64 -> assertArrayEquals((long[]) theirs, (long[]) ours.data(), what);
            case BOOL -> assertArrayEquals((boolean[]) theirs, (boolean[]) ours.data(), what);
            default -> throw new AssertionError(what + " of " + ours.type());
        }
    }

    private static Map<String, Object> onnxRuntime(OrtEnvironment env, OrtSession session, Map<String, Tensor> inputs)
            throws Exception {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (Tensor t : inputs.values()) {
                feeds.put(t.name(), t.type() == DataType.FP32
                        ? OnnxTensor.createTensor(env, FloatBuffer.wrap((float[]) t.data()), t.shape())
                        : OnnxTensor.createTensor(env, LongBuffer.wrap((long[]) t.data()), t.shape()));
            }
            Map<String, Object> out = new HashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    out.put(e.getKey(), switch (t.getInfo().type) {
                        case FLOAT -> t.getFloatBuffer().array();
                        case INT64 -> t.getLongBuffer().array();
                        case BOOL -> bools(t.getByteBuffer());
                        default -> throw new AssertionError(e.getKey() + " of " + t.getInfo().type);
                    });
                }
            }
            return out;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static boolean[] bools(java.nio.ByteBuffer bytes) {
        boolean[] out = new boolean[bytes.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i) != 0;
        }
        return out;
    }
}
