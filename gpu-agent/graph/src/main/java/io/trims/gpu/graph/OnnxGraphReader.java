package io.trims.gpu.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import io.trims.protocol.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads an ONNX model file into a {@link Graph}. Constant nodes become initializers. */
public final class OnnxGraphReader {

    private OnnxGraphReader() {
    }

    public static Graph read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            return read(ModelProto.parseFrom(coded));
        }
    }

    public static Graph read(byte[] model) throws IOException {
        return read(ModelProto.parseFrom(model));
    }

    public static Graph read(ModelProto model) {
        GraphProto g = model.getGraph();
        Map<String, Tensor> initializers = new HashMap<>();
        g.getInitializerList().forEach(t -> initializers.put(t.getName(), TensorDecoder.decode(t, t.getName())));
        List<Node> nodes = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            Node node = node(n);
            if (node.opType().equals("Constant")) {
                initializers.put(node.output(), constant(node));
            } else {
                nodes.add(node);
            }
        }
        List<ValueInfo> inputs = g.getInputList().stream().filter(v -> !initializers.containsKey(v.getName()))
                .map(OnnxGraphReader::valueInfo).toList();
        List<ValueInfo> outputs = g.getOutputList().stream().map(OnnxGraphReader::valueInfo).toList();
        return new Graph(g.getName(), opset(model), nodes, initializers, inputs, outputs);
    }

    private static int opset(ModelProto model) {
        return model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToInt(o -> (int) o.getVersion()).findFirst().orElse(1);
    }

    private static Node node(NodeProto n) {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        for (AttributeProto a : n.getAttributeList()) {
            attributes.put(a.getName(), new Attribute(a.getName(), value(a)));
        }
        String name = n.getName().isEmpty() ? n.getOpType() + "_" + n.getOutput(0) : n.getName();
        String op = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType() : n.getDomain() + "." + n.getOpType();
        return new Node(name, op, n.getInputList(), n.getOutputList(), attributes);
    }

    private static Object value(AttributeProto a) {
        return switch (a.getType()) {
            case INT -> a.getI();
            case FLOAT -> a.getF();
            case STRING -> a.getS().toStringUtf8();
            case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            case FLOATS -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = a.getFloats(i);
                }
                yield f;
            }
            case TENSOR -> TensorDecoder.decode(a.getT(), a.getName());
            default -> a.getType().name();
        };
    }

    private static Tensor constant(Node node) {
        Attribute value = node.attribute("value").orElseThrow(() ->
                new GraphException(node.describe() + ": only the 'value' form of Constant is supported"));
        Tensor t = value.asTensor();
        return new Tensor(node.output(), t.type(), t.shape(), t.data());
    }

    private static ValueInfo valueInfo(ValueInfoProto v) {
        var tensorType = v.getType().getTensorType();
        List<Dim> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : tensorType.getShape().getDimList()) {
            dims.add(d.hasDimValue() ? Dim.fixed(d.getDimValue()) : Dim.symbolic(d.getDimParam()));
        }
        return new ValueInfo(v.getName(), ElementTypes.fromOnnx(tensorType.getElemType()), dims);
    }
}
