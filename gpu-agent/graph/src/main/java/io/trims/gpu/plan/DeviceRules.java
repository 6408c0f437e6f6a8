package io.trims.gpu.plan;

import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.Node;
import io.trims.gpu.graph.Operators;
import io.trims.protocol.tensor.DataType;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Whether a node can run as a device step: a kernel exists, its parameters are host-known, its types are covered. */
final class DeviceRules {

    private static final Set<DataType> MOVABLE = Set.of(DataType.FP32, DataType.INT64, DataType.INT32, DataType.BOOL);
    private static final Set<DataType> FP32 = Set.of(DataType.FP32);
    private static final Set<DataType> ARITHMETIC = Set.of(DataType.FP32, DataType.INT64);

    private DeviceRules() {
    }

    /** Throws a {@link GraphException} saying why {@code node} cannot run on a device. */
    static void check(Node node, int opset, Map<String, DataType> types, Predicate<String> hostKnown, Predicate<String> used) {
        if (!Operators.DEVICE.contains(node.opType())) {
            throw new GraphException(node.describe() + " has no GPU kernel");
        }
        for (int i = 0; i < node.inputs().size(); i++) {
            String in = node.inputs().get(i);
            if (!in.isEmpty() && Operators.isParameter(node, i, opset) && !hostKnown.test(in)) {
                throw new GraphException(node.describe() + ": input " + i + " ('" + in
                        + "') is computed on the device but must be known on the host");
            }
        }
        for (int i = 1; i < node.outputs().size(); i++) {
            if (used.test(node.outputs().get(i))) {
                throw new GraphException(node.describe() + ": output " + i + " has no GPU kernel");
            }
        }
        DataType in0 = types.get(node.inputs().get(0));
        switch (node.opType()) {
            case "Add", "Sub", "Mul", "Div", "Equal" -> require(node, in0, ARITHMETIC);
            case "Where" -> require(node, types.get(node.inputs().get(1)), ARITHMETIC);
            case "Cast" -> {
                require(node, in0, MOVABLE);
                require(node, types.get(node.output()), MOVABLE);
            }
            case "Gather" -> {
                require(node, in0, MOVABLE);
                require(node, types.get(node.inputs().get(1)), Set.of(DataType.INT64));
            }
            case "Gelu" -> {
                require(node, in0, FP32);
                String approx = node.stringAttr("approximate", "none");
                if (!approx.equals("none") && !approx.equals("tanh")) {
                    throw new GraphException(node.describe() + ": approximate='" + approx + "' has no GPU kernel");
                }
            }
            case "Transpose", "Concat", "Slice", "Expand", "Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity", "Dropout" ->
                    require(node, in0, MOVABLE);
            default -> require(node, in0, FP32);
        }
    }

    private static void require(Node node, DataType type, Set<DataType> allowed) {
        if (!allowed.contains(type)) {
            throw new GraphException(node.describe() + " on " + type + " has no GPU kernel");
        }
    }
}
