package io.trims.gpu.graph;

import io.trims.protocol.tensor.DataType;

import java.util.HashMap;
import java.util.Map;

/** Element type of every tensor in a graph, from declared inputs, initializers and per-operator rules. */
public final class TypeInference {

    private TypeInference() {
    }

    public static Map<String, DataType> infer(Graph graph) {
        Map<String, DataType> types = new HashMap<>();
        graph.inputs().forEach(v -> types.put(v.name(), v.type()));
        graph.initializers().forEach((name, t) -> types.put(name, t.type()));
        for (Node node : graph.nodes()) {
            DataType type = outputType(node, types);
            node.outputs().stream().filter(o -> !o.isEmpty()).forEach(o -> types.put(o, type));
        }
        return types;
    }

    private static DataType outputType(Node node, Map<String, DataType> types) {
        return switch (node.opType()) {
            case "Cast" -> ElementTypes.fromOnnx((int) node.intAttr("to", 1));
            case "Shape", "Size" -> DataType.INT64;
            case "Equal", "Less", "Greater", "Not" -> DataType.BOOL;
            case "ConstantOfShape" -> node.attribute("value").map(a -> a.asTensor().type()).orElse(DataType.FP32);
            case "Where" -> typeOf(node, 1, types);
            default -> typeOf(node, 0, types);
        };
    }

    private static DataType typeOf(Node node, int input, Map<String, DataType> types) {
        String name = node.input(input).orElseThrow(() -> new GraphException(node.describe() + " lacks input " + input));
        DataType type = types.get(name);
        if (type == null) {
            throw new GraphException(node.describe() + " reads '" + name + "', which nothing before it produces");
        }
        return type;
    }
}
