package io.trims.gpu.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** The real encoder files on the test classpath (from the langchain4j embedding jars), and what comparing them needs. */
public final class RealModels {

    public static final String MINILM = "all-minilm-l6-v2.onnx";
    public static final String BGE_SMALL = "bge-small-en-v1.5.onnx";

    private RealModels() {
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = RealModels.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** BERT-style inputs: token ids with [CLS] ... [SEP]; the second row is padded (mask 0) over its last three tokens. */
    public static Map<String, Tensor> encoderInputs(int batch, int seq, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[batch * seq];
        long[] mask = new long[batch * seq];
        for (int b = 0; b < batch; b++) {
            int length = b == 1 ? seq - 3 : seq;
            for (int s = 0; s < seq; s++) {
                int i = b * seq + s;
                ids[i] = s == 0 ? 101 : s == length - 1 ? 102 : s < length ? 1000 + random.nextInt(20000) : 0;
                mask[i] = s < length ? 1 : 0;
            }
        }
        long[] shape = {batch, seq};
        Map<String, Tensor> inputs = new HashMap<>();
        inputs.put("input_ids", new Tensor("input_ids", DataType.INT64, shape, ids));
        inputs.put("attention_mask", new Tensor("attention_mask", DataType.INT64, shape, mask));
        inputs.put("token_type_ids", new Tensor("token_type_ids", DataType.INT64, shape, new long[batch * seq]));
        return inputs;
    }

    /** The float outputs of an ONNX Runtime session fed the given INT64 inputs, by output name. */
    public static Map<String, float[]> onnxRuntime(OrtEnvironment env, OrtSession session, Map<String, Tensor> inputs)
            throws OrtException {
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

    /** Largest element-wise absolute difference; the arrays must be the same length. */
    public static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("lengths differ: " + expected.length + " vs " + actual.length);
        }
        double maxDiff = 0;
        for (int i = 0; i < actual.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        return maxDiff;
    }
}
