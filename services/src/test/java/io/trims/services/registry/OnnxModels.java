package io.trims.services.registry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Small ONNX models written as protobuf bytes by hand, so tests need no binary fixtures. */
final class OnnxModels {

    static final int FLOAT = 1;
    static final int INT64 = 7;

    private OnnxModels() {
    }

    /** {@code Y = Relu(X)}, X and Y FP32 of shape [batch, width] with a symbolic batch dimension. */
    static byte[] relu(int width) {
        return unary("Relu", width);
    }

    /** {@code Y = op(X)} for a one-input FP32 operator, e.g. Relu or Floor; the node is named after the op. */
    static byte[] unary(String op, int width) {
        String name = op.toLowerCase(java.util.Locale.ROOT);
        Proto node = new Proto().string(1, "X").string(2, "Y").string(3, name).string(4, op);
        Proto graph = new Proto()
                .message(1, node)
                .string(2, name + "_graph")
                .message(11, valueInfo("X", FLOAT, width))
                .message(12, valueInfo("Y", FLOAT, width));
        return model(graph);
    }

    /** {@code Y = Add(A, B)}: two INT64 inputs of shape [batch, width]. */
    static byte[] addInt64(int width) {
        Proto node = new Proto().string(1, "A").string(1, "B").string(2, "Y").string(3, "add").string(4, "Add");
        Proto graph = new Proto()
                .message(1, node)
                .string(2, "add_graph")
                .message(11, valueInfo("A", INT64, width))
                .message(11, valueInfo("B", INT64, width))
                .message(12, valueInfo("Y", INT64, width));
        return model(graph);
    }

    /** {@code Y = MatMul(X, W)} with W an FP32 [in, out] initializer of ones: about {@code 4 * in * out} bytes. */
    static byte[] matMul(int in, int out) {
        byte[] weights = new byte[4 * in * out];
        for (int i = 0; i < weights.length; i += 4) {
            int bits = Float.floatToIntBits(1f); // little-endian, as TensorProto.raw_data is
            weights[i] = (byte) bits;
            weights[i + 1] = (byte) (bits >>> 8);
            weights[i + 2] = (byte) (bits >>> 16);
            weights[i + 3] = (byte) (bits >>> 24);
        }
        Proto w = new Proto().varint(1, in).varint(1, out).varint(2, FLOAT).string(8, "W").lengthDelimited(9, weights);
        Proto node = new Proto().string(1, "X").string(1, "W").string(2, "Y").string(3, "matmul").string(4, "MatMul");
        Proto graph = new Proto()
                .message(1, node)
                .string(2, "matmul_graph")
                .message(5, w)
                .message(11, valueInfo("X", FLOAT, in))
                .message(12, valueInfo("Y", FLOAT, out));
        return model(graph);
    }

    private static byte[] model(Proto graph) {
        Proto opset = new Proto().string(1, "").varint(2, 13);
        return new Proto()
                .varint(1, 8) // IR version 8
                .string(2, "trims-test")
                .message(7, graph)
                .message(8, opset)
                .bytes();
    }

    private static Proto valueInfo(String name, int elemType, int width) {
        Proto shape = new Proto()
                .message(1, new Proto().string(2, "batch"))
                .message(1, new Proto().varint(1, width));
        Proto tensorType = new Proto().varint(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** Just enough of the protobuf wire format: varints and length-delimited fields. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            tag(field, 0);
            raw(value);
            return this;
        }

        Proto string(int field, String value) {
            return lengthDelimited(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return lengthDelimited(field, message.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        Proto lengthDelimited(int field, byte[] bytes) {
            tag(field, 2);
            raw(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        private void tag(int field, int wireType) {
            raw(((long) field << 3) | wireType);
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
