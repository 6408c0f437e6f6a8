package io.trims.testmodels;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.trims.gpu.graph.ElementTypes;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds ONNX models for graph tests with the ONNX protobuf classes: inputs and outputs with fixed or symbolic dims,
 * initializers in raw_data or in the typed fields, nodes with attributes. IR version 8 (9 from opset 19, 10 from 21).
 */
public final class OnnxGraphBuilder {

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private final int opset;

    public OnnxGraphBuilder(int opset) {
        this.opset = opset;
    }

    /** dims: a Number is a fixed size, a String a symbolic dimension. */
    public OnnxGraphBuilder input(String name, DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return this;
    }

    public OnnxGraphBuilder output(String name, DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
        return this;
    }

    /** An output of unknown rank (no shape in its type). */
    public OnnxGraphBuilder unshapedOutput(String name, DataType type) {
        TypeProto.Tensor tensorType = TypeProto.Tensor.newBuilder().setElemType(ElementTypes.toOnnx(type)).build();
        graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensorType)));
        return this;
    }

    /** An initializer stored in raw_data (little-endian). */
    public OnnxGraphBuilder initializer(Tensor t) {
        graph.addInitializer(tensor(t, true));
        return this;
    }

    /** An initializer stored in the typed repeated fields. */
    public OnnxGraphBuilder typedInitializer(Tensor t) {
        graph.addInitializer(tensor(t, false));
        return this;
    }

    /** attributes: name, value pairs; a value is Long/Integer, Float/Double, String, long[], float[] or Tensor. */
    public OnnxGraphBuilder namedNode(String op, String name, String[] inputs, String[] outputs, Object... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String in : inputs) {
            node.addInput(in);
        }
        for (String out : outputs) {
            node.addOutput(out);
        }
        for (int i = 0; i < attributes.length; i += 2) {
            node.addAttribute(attribute((String) attributes[i], attributes[i + 1]));
        }
        graph.addNode(node);
        return this;
    }

    /** A node with one output named like the node. */
    public OnnxGraphBuilder node(String op, String output, String[] inputs, Object... attributes) {
        return namedNode(op, "/" + op + "/" + output, inputs, new String[]{output}, attributes);
    }

    public byte[] bytes() {
        return ModelProto.newBuilder().setIrVersion(opset >= 21 ? 10 : opset >= 19 ? 9 : 8).setProducerName("trims-tests").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build().toByteArray();
    }

    public static Tensor floats(String name, float[] values, long... shape) {
        return new Tensor(name, DataType.FP32, shape, values);
    }

    public static Tensor longs(String name, long[] values, long... shape) {
        return new Tensor(name, DataType.INT64, shape, values);
    }

    private static AttributeProto attribute(String name, Object value) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (value instanceof Integer || value instanceof Long) {
            a.setType(AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
        } else if (value instanceof Float || value instanceof Double) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) value).floatValue());
        } else if (value instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (value instanceof long[] ints) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long i : ints) {
                a.addInts(i);
            }
        } else if (value instanceof float[] floats) {
            a.setType(AttributeProto.AttributeType.FLOATS);
            for (float f : floats) {
                a.addFloats(f);
            }
        } else if (value instanceof Tensor t) {
            a.setType(AttributeProto.AttributeType.TENSOR).setT(tensor(t, true));
        } else {
            throw new IllegalArgumentException("attribute " + name + " of " + value.getClass());
        }
        return a.build();
    }

    private static ValueInfoProto valueInfo(String name, DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof String s ? TensorShapeProto.Dimension.newBuilder().setDimParam(s)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        TypeProto.Tensor tensorType = TypeProto.Tensor.newBuilder().setElemType(ElementTypes.toOnnx(type)).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensorType)).build();
    }

    private static TensorProto tensor(Tensor t, boolean raw) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(t.name()).setDataType(ElementTypes.toOnnx(t.type()));
        for (long d : t.shape()) {
            b.addDims(d);
        }
        Object data = t.data();
        if (raw) {
            return b.setRawData(ByteString.copyFrom(rawBytes(t))).build();
        }
        switch (t.type()) {
            case FP32 -> { for (float v : (float[]) data) b.addFloatData(v); }
            case FP64 -> { for (double v : (double[]) data) b.addDoubleData(v); }
            case INT64 -> { for (long v : (long[]) data) b.addInt64Data(v); }
            case INT32 -> { for (int v : (int[]) data) b.addInt32Data(v); }
            case BOOL -> { for (boolean v : (boolean[]) data) b.addInt32Data(v ? 1 : 0); }
            default -> throw new IllegalArgumentException("typed " + t.type());
        }
        return b.build();
    }

    private static byte[] rawBytes(Tensor t) {
        Object data = t.data();
        ByteBuffer buf = ByteBuffer.allocate(t.size() * ElementTypes.bytes(t.type())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.type()) {
            case FP32 -> { for (float v : (float[]) data) buf.putFloat(v); }
            case FP64 -> { for (double v : (double[]) data) buf.putDouble(v); }
            case INT64 -> { for (long v : (long[]) data) buf.putLong(v); }
            case INT32 -> { for (int v : (int[]) data) buf.putInt(v); }
            case BOOL -> { for (boolean v : (boolean[]) data) buf.put((byte) (v ? 1 : 0)); }
            default -> throw new IllegalArgumentException("raw " + t.type());
        }
        return buf.array();
    }
}
