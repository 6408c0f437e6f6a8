package io.trims.devicedata;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Real model graphs with regenerated weights, so a model too big to carry to the GPU machine travels as its graph
 * alone. {@link #strip} keeps the graph and every small initializer, and replaces each large FP32 initializer's
 * data by its mean and standard deviation (in the tensor's doc string); {@link #grow} refills those from a seed:
 * uniform values with the same mean and standard deviation, so activations keep the real model's scale. Growing the
 * same skeleton with the same seed gives the same bytes on every machine (same JDK, {@link SplittableRandom}).
 */
public final class SeededWeights {

    static final String MARK = "trims-seeded ";
    /** Initializers smaller than this (biases, LayerNorm scales, shape constants) are carried as they are. */
    static final long MIN_ELEMENTS = 4096;
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
    private static final double SQRT3 = Math.sqrt(3);

    private SeededWeights() {
    }

    /** The model with its large FP32 initializers reduced to their statistics. */
    public static byte[] strip(byte[] onnx) throws InvalidProtocolBufferException {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.parseFrom(onnx).toBuilder();
        OnnxMl.GraphProto.Builder graph = model.getGraphBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            OnnxMl.TensorProto.Builder t = graph.getInitializerBuilder(i);
            if (t.getDataType() != FLOAT || elements(t) < MIN_ELEMENTS) {
                continue;
            }
            float[] values = floats(t);
            double mean = 0;
            for (float v : values) {
                mean += v;
            }
            mean /= values.length;
            double var = 0;
            for (float v : values) {
                var += (v - mean) * (v - mean);
            }
            double std = Math.sqrt(var / values.length);
            t.clearRawData().clearFloatData()
                    .setDocString(MARK + Double.toHexString(mean) + " " + Double.toHexString(std));
        }
        return model.build().toByteArray();
    }

    /** Refills the initializers {@link #strip} emptied, from {@code seed}. */
    public static byte[] grow(byte[] skeleton, long seed) throws InvalidProtocolBufferException {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.parseFrom(skeleton).toBuilder();
        OnnxMl.GraphProto.Builder graph = model.getGraphBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            OnnxMl.TensorProto.Builder t = graph.getInitializerBuilder(i);
            if (!t.getDocString().startsWith(MARK)) {
                continue;
            }
            String[] stats = t.getDocString().substring(MARK.length()).split(" ");
            double mean = Double.parseDouble(stats[0]);
            double halfWidth = Double.parseDouble(stats[1]) * SQRT3;
            SplittableRandom random = new SplittableRandom(seed * 31 + t.getName().hashCode());
            int n = Math.toIntExact(elements(t));
            ByteBuffer raw = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < n; k++) {
                raw.putFloat((float) (mean + halfWidth * (2 * random.nextDouble() - 1)));
            }
            t.setRawData(ByteString.copyFrom(raw.array())).clearDocString();
        }
        return model.build().toByteArray();
    }

    private static long elements(OnnxMl.TensorProtoOrBuilder t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    private static float[] floats(OnnxMl.TensorProtoOrBuilder t) {
        if (!t.getRawData().isEmpty()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[raw.remaining() / 4];
            raw.asFloatBuffer().get(values);
            return values;
        }
        float[] values = new float[t.getFloatDataCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = t.getFloatData(i);
        }
        return values;
    }
}
