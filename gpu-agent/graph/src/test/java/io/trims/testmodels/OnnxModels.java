package io.trims.testmodels;

import io.trims.testmodels.UniformFloats;
import io.trims.gpu.graph.ElementTypes;
import io.trims.protocol.tensor.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/**
 * Small ONNX models written as protobuf bytes, so tests need no binary fixtures. IR version 7, opset 13.
 * Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto).
 */
public final class OnnxModels {

    private static final int IR_VERSION = 7;
    private static final int OPSET = 13;
    private static final int FP32 = ElementTypes.toOnnx(DataType.FP32);

    private OnnxModels() {
    }

    /** {@code Y = MatMul(X, W) + B}: X is FP32 [N, in], Y is FP32 [N, out], W and B drawn from {@code seed}. */
    public static byte[] matMulAdd(int in, int out, long seed) {
        return MatMulAdd.of(in, out, seed).bytes();
    }

    /**
     * A model that costs compute and little input: {@code layers} MatMuls of X FP32 [N, width] with one width x width
     * weight of 1/width each (so Y stays X's scale), its run time growing with the batch N.
     */
    public static byte[] deepMatMul(int width, int layers) {
        OnnxGraphBuilder graph = new OnnxGraphBuilder(OPSET)
                .input("X", DataType.FP32, "N", width)
                .output("Y", DataType.FP32, "N", width);
        float[] w = new float[width * width];
        Arrays.fill(w, 1.0f / width);
        graph.initializer(OnnxGraphBuilder.floats("W", w, width, width));
        String previous = "X";
        for (int layer = 0; layer < layers; layer++) {
            String out = layer == layers - 1 ? "Y" : "H" + layer;
            graph.node("MatMul", out, new String[]{previous, "W"});
            previous = out;
        }
        return graph.bytes();
    }

    /** {@code Y = Relu(X)} over FP32 [N, width]. */
    public static byte[] relu(int width) {
        Protobuf graph = new Protobuf()
                .message(1, node("Relu", new String[]{"X"}, "Y"))
                .string(2, "relu")
                .message(11, valueInfo("X", FP32, -1, width))
                .message(12, valueInfo("Y", FP32, -1, width));
        return model(graph);
    }

    /** {@code Y = Identity(X)} over a tensor of {@code type} and shape [N]: to check every element type round trip. */
    public static byte[] identity(DataType type) {
        int elem = ElementTypes.toOnnx(type);
        Protobuf graph = new Protobuf()
                .message(1, node("Identity", new String[]{"X"}, "Y"))
                .string(2, "identity")
                .message(11, valueInfo("X", elem, -1))
                .message(12, valueInfo("Y", elem, -1));
        return model(graph);
    }

    /** A MatMul-Add model with its weights, so a test can compute the expected output by hand. */
    public record MatMulAdd(int in, int out, float[] w, float[] b) {

        public static MatMulAdd of(int in, int out, long seed) {
            Random random = new Random(seed);
            float[] w = UniformFloats.draw(random, in * out);
            float[] b = UniformFloats.draw(random, out);
            return new MatMulAdd(in, out, w, b);
        }

        /** Y for a row-major X of {@code x.length / in} rows, in float arithmetic like the runtime. */
        public float[] apply(float[] x) {
            int rows = x.length / in;
            float[] y = new float[rows * out];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) {
                    float sum = 0;
                    for (int k = 0; k < in; k++) {
                        sum += x[r * in + k] * w[k * out + j];
                    }
                    y[r * out + j] = sum + b[j];
                }
            }
            return y;
        }

        public byte[] bytes() {
            Protobuf graph = new Protobuf()
                    .message(1, node("MatMul", new String[]{"X", "W"}, "XW"))
                    .message(1, node("Add", new String[]{"XW", "B"}, "Y"))
                    .string(2, "matmul_add")
                    .message(5, floatInitializer("W", w, in, out))
                    .message(5, floatInitializer("B", b, out))
                    .message(11, valueInfo("X", FP32, -1, in))
                    .message(12, valueInfo("Y", FP32, -1, out));
            return model(graph);
        }
    }

    private static byte[] model(Protobuf graph) {
        return new Protobuf()
                .varint(1, IR_VERSION)
                .string(2, "trims-tests")
                .message(7, graph)
                .message(8, new Protobuf().string(1, "").varint(2, OPSET))
                .toByteArray();
    }

    private static Protobuf node(String op, String[] inputs, String output) {
        Protobuf node = new Protobuf();
        for (String input : inputs) {
            node.string(1, input);
        }
        return node.string(2, output).string(3, op + "_" + output).string(4, op);
    }

    private static Protobuf floatInitializer(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        Protobuf tensor = new Protobuf();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        return tensor.varint(2, FP32).string(8, name).bytes(9, raw.array());
    }

    /** A tensor value's name, element type and shape; -1 is the dynamic batch dimension "N". */
    private static Protobuf valueInfo(String name, int elemType, long... dims) {
        Protobuf shape = new Protobuf();
        for (long d : dims) {
            shape.message(1, d < 0 ? new Protobuf().string(2, "N") : new Protobuf().varint(1, d));
        }
        Protobuf tensorType = new Protobuf().varint(1, elemType).message(2, shape);
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
    }
}
