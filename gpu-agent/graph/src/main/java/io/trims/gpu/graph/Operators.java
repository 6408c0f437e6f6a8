package io.trims.gpu.graph;

import java.util.Set;

/**
 * What trims knows about each operator: which run on a device (through {@code Kernels}), which are views of their
 * input's memory, which the host evaluates when their inputs are host-known, and which inputs are parameters that
 * must be known on the host (shapes, axes, slice bounds).
 */
public final class Operators {

    /** Operators with a device kernel (views included: they need none). */
    public static final Set<String> DEVICE = Set.of(
            "Add", "Sub", "Mul", "Div", "Pow", "Equal", "Where",
            "Sqrt", "Erf", "Relu", "Sigmoid", "Tanh", "Gelu", "Neg", "Exp",
            "Cast", "ReduceMean", "Softmax", "LayerNormalization", "MatMul", "Gemm",
            "Gather", "Transpose", "Concat", "Slice", "Expand",
            "Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity", "Dropout");

    /** Device operators that only reinterpret their first input's memory with another shape (Dropout: inference). */
    public static final Set<String> VIEWS = Set.of("Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity", "Dropout");

    /** Operators the host evaluates when all their inputs are host-known (shape arithmetic). */
    public static final Set<String> HOST = Set.of(
            "Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Cast", "Reshape", "Flatten",
            "Identity", "Equal", "Less", "Greater", "Not", "Where", "Expand", "ConstantOfShape", "Range",
            "Add", "Sub", "Mul", "Div", "Neg", "Min", "Max");

    /** Operators that only read their input's shape, so they are host-evaluated whatever produces the input. */
    public static final Set<String> SHAPE_ONLY = Set.of("Shape", "Size");

    private Operators() {
    }

    /** Whether input {@code i} of {@code node} is a parameter that must be host-known (not device data). */
    public static boolean isParameter(Node node, int i, int opset) {
        return switch (node.opType()) {
            case "Reshape", "Expand" -> i == 1;
            case "Unsqueeze", "Squeeze" -> i == 1 && opset >= 13;
            case "ReduceMean" -> i == 1 && opset >= 18;
            case "Slice", "Dropout" -> i >= 1;
            case "ConstantOfShape", "Range" -> true;
            default -> false;
        };
    }

    /** Whether {@code opType} reads only the shape of input 0 (any placement). */
    public static boolean readsShapeOnly(String opType) {
        return SHAPE_ONLY.contains(opType);
    }
}
