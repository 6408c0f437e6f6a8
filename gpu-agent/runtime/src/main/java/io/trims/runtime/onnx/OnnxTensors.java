package io.trims.runtime.onnx;

import io.trims.runtime.InferenceException;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/** Converts between the agent's {@link Tensor} and ONNX Runtime's {@link OnnxTensor}. */
final class OnnxTensors {

    private OnnxTensors() {
    }

    /** A new native tensor holding a copy of {@code t}'s data; the caller closes it. */
    static OnnxTensor toOnnx(OrtEnvironment env, Tensor t) throws OrtException {
        long[] shape = t.shape();
        return switch (t.type()) {
            case BOOL -> {
                boolean[] v = (boolean[]) t.data();
                ByteBuffer b = ByteBuffer.allocate(v.length);
                for (boolean x : v) {
                    b.put((byte) (x ? 1 : 0));
                }
                yield OnnxTensor.createTensor(env, b.flip(), shape, OnnxJavaType.BOOL);
            }
            case INT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) t.data()), shape, OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) t.data()), shape, OnnxJavaType.UINT8);
            case INT16 -> OnnxTensor.createTensor(env, ShortBuffer.wrap((short[]) t.data()), shape, OnnxJavaType.INT16);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap((int[]) t.data()), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap((long[]) t.data()), shape);
            case FP32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap((float[]) t.data()), shape);
            case FP64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap((double[]) t.data()), shape);
        };
    }

    /** Copies a native tensor out; a type the agent does not carry is an error naming it. */
    static Tensor fromOnnx(String name, OnnxTensor t) throws InferenceException {
        long[] shape = t.getInfo().getShape();
        OnnxJavaType type = t.getInfo().type;
        return switch (type) {
            case BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                boolean[] v = new boolean[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.get() != 0;
                }
                yield new Tensor(name, DataType.BOOL, shape, v);
            }
            case INT8 -> new Tensor(name, DataType.INT8, shape, bytes(t.getByteBuffer()));
            case UINT8 -> new Tensor(name, DataType.UINT8, shape, bytes(t.getByteBuffer()));
            case INT16 -> {
                ShortBuffer b = t.getShortBuffer();
                short[] v = new short[b.remaining()];
                b.get(v);
                yield new Tensor(name, DataType.INT16, shape, v);
            }
            case INT32 -> {
                IntBuffer b = t.getIntBuffer();
                int[] v = new int[b.remaining()];
                b.get(v);
                yield new Tensor(name, DataType.INT32, shape, v);
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                long[] v = new long[b.remaining()];
                b.get(v);
                yield new Tensor(name, DataType.INT64, shape, v);
            }
            case FLOAT -> {
                FloatBuffer b = t.getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                yield new Tensor(name, DataType.FP32, shape, v);
            }
            case DOUBLE -> {
                DoubleBuffer b = t.getDoubleBuffer();
                double[] v = new double[b.remaining()];
                b.get(v);
                yield new Tensor(name, DataType.FP64, shape, v);
            }
            default -> throw new InferenceException("output '" + name + "' has element type " + type
                    + ", which the agent does not carry", false, null);
        };
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] v = new byte[b.remaining()];
        b.get(v);
        return v;
    }
}
