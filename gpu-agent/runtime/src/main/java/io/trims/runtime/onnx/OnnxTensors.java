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
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Converts between the agent's {@link Tensor} and ONNX Runtime's {@link OnnxTensor}. */
final class OnnxTensors {

    private OnnxTensors() {
    }

    /**
     * A new native tensor holding a copy of {@code t}'s data; the caller closes it. BYTES become ONNX STRING
     * tensors, which ONNX Runtime's Java API takes as text: an element that is not UTF-8 is the caller's mistake.
     */
    static OnnxTensor toOnnx(OrtEnvironment env, Tensor t) throws OrtException, InferenceException {
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
            case FP16 -> OnnxTensor.createTensor(env, ShortBuffer.wrap((short[]) t.data()), shape, OnnxJavaType.FLOAT16);
            case BF16 -> OnnxTensor.createTensor(env, ShortBuffer.wrap((short[]) t.data()), shape, OnnxJavaType.BFLOAT16);
            case BYTES -> OnnxTensor.createTensor(env, text(t), shape);
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
            case INT16 -> new Tensor(name, DataType.INT16, shape, shorts(t.getShortBuffer()));
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
            case FLOAT16 -> new Tensor(name, DataType.FP16, shape, shorts(t.getShortBuffer()));
            case BFLOAT16 -> new Tensor(name, DataType.BF16, shape, shorts(t.getShortBuffer()));
            case STRING -> new Tensor(name, DataType.BYTES, shape, utf8(name, t));
            default -> throw new InferenceException("output '" + name + "' has element type " + type
                    + ", which the agent does not carry", false, null);
        };
    }

    private static String[] text(Tensor t) throws InferenceException {
        byte[][] elements = (byte[][]) t.data();
        String[] text = new String[elements.length];
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int i = 0; i < elements.length; i++) {
            try {
                text[i] = utf8.decode(ByteBuffer.wrap(elements[i])).toString();
            } catch (CharacterCodingException e) {
                throw new InferenceException("input '" + t.name() + "': BYTES element " + i + " is not UTF-8 text,"
                        + " which the model's STRING input needs", true, e);
            }
        }
        return text;
    }

    /** A STRING tensor's elements, row-major, as UTF-8 bytes (ONNX Runtime hands them out as nested String arrays). */
    private static byte[][] utf8(String name, OnnxTensor t) throws InferenceException {
        Object value;
        try {
            value = t.getValue();
        } catch (OrtException e) {
            throw new InferenceException("output '" + name + "' cannot be read: " + e.getMessage(), false, e);
        }
        List<byte[]> out = new ArrayList<>();
        flatten(value, out);
        return out.toArray(new byte[0][]);
    }

    private static void flatten(Object value, List<byte[]> out) {
        if (value instanceof String s) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        } else {
            for (Object item : (Object[]) value) {
                flatten(item, out);
            }
        }
    }

    private static short[] shorts(ShortBuffer b) {
        short[] v = new short[b.remaining()];
        b.get(v);
        return v;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] v = new byte[b.remaining()];
        b.get(v);
        return v;
    }
}
