package io.trims.gpu.graph;

import ai.onnx.proto.OnnxMl.TensorProto;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** ONNX TensorProto to a host {@link Tensor}: raw_data (little-endian) or the typed repeated fields. */
public final class TensorDecoder {

    private TensorDecoder() {
    }

    public static Tensor decode(TensorProto proto, String name) {
        if (proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new GraphException("initializer '" + name + "' keeps its data in an external file, which is not supported");
        }
        DataType type = ElementTypes.fromOnnx(proto.getDataType());
        long[] shape = proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int count = Math.toIntExact(Tensor.elementCount(shape));
        Object data = proto.getRawData().isEmpty() ? typed(proto, type, count, name) : raw(proto, type, count, name);
        return new Tensor(name, type, shape, data);
    }

    private static Object raw(TensorProto proto, DataType type, int count, String name) {
        ByteBuffer bytes = proto.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.remaining() != (long) count * ElementTypes.bytes(type)) {
            throw new GraphException("initializer '" + name + "' has " + bytes.remaining() + " raw bytes for " + count + " " + type);
        }
        return switch (type) {
            case FP32 -> { float[] a = new float[count]; bytes.asFloatBuffer().get(a); yield a; }
            case FP64 -> { double[] a = new double[count]; bytes.asDoubleBuffer().get(a); yield a; }
            case INT64 -> { long[] a = new long[count]; bytes.asLongBuffer().get(a); yield a; }
            case INT32 -> { int[] a = new int[count]; bytes.asIntBuffer().get(a); yield a; }
            case INT16 -> { short[] a = new short[count]; bytes.asShortBuffer().get(a); yield a; }
            case INT8, UINT8 -> { byte[] a = new byte[count]; bytes.get(a); yield a; }
            case BOOL -> {
                boolean[] a = new boolean[count];
                for (int i = 0; i < count; i++) {
                    a[i] = bytes.get() != 0;
                }
                yield a;
            }
            case FP16, BF16, BYTES -> throw unsupported(type, name);
        };
    }

    /** Typed fields: float_data, double_data, int64_data, and int32_data, which ONNX also uses for the narrow types. */
    private static Object typed(TensorProto proto, DataType type, int count, String name) {
        int have = switch (type) {
            case FP32 -> proto.getFloatDataCount();
            case FP64 -> proto.getDoubleDataCount();
            case INT64 -> proto.getInt64DataCount();
            default -> proto.getInt32DataCount();
        };
        if (have != count) {
            throw new GraphException("initializer '" + name + "' has " + have + " values for " + count + " elements");
        }
        return switch (type) {
            case FP32 -> { float[] a = new float[count]; for (int i = 0; i < count; i++) a[i] = proto.getFloatData(i); yield a; }
            case FP64 -> proto.getDoubleDataList().stream().mapToDouble(Double::doubleValue).toArray();
            case INT64 -> proto.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
            case INT32 -> proto.getInt32DataList().stream().mapToInt(Integer::intValue).toArray();
            case INT16 -> { short[] a = new short[count]; for (int i = 0; i < count; i++) a[i] = (short) proto.getInt32Data(i); yield a; }
            case INT8, UINT8 -> { byte[] a = new byte[count]; for (int i = 0; i < count; i++) a[i] = (byte) proto.getInt32Data(i); yield a; }
            case BOOL -> { boolean[] a = new boolean[count]; for (int i = 0; i < count; i++) a[i] = proto.getInt32Data(i) != 0; yield a; }
            case FP16, BF16, BYTES -> throw unsupported(type, name);
        };
    }

    /** Not reached through {@link ElementTypes#fromOnnx}, which refuses these types; here for the switch. */
    private static GraphException unsupported(DataType type, String name) {
        return new GraphException("initializer '" + name + "' of " + type + " is not supported");
    }
}
