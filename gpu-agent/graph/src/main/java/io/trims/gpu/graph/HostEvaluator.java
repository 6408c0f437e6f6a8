package io.trims.gpu.graph;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Evaluates one shape-arithmetic node on the host. Inputs are host tensors, except that shape-only operators (Shape,
 * Size) need just the input's shape, which may belong to a device tensor.
 */
public final class HostEvaluator {

    private HostEvaluator() {
    }

    /**
     * @param inputs host values by input position (null for omitted inputs and for device tensors read by Shape/Size)
     * @param shapes input shapes by position (null for omitted inputs)
     */
    public static Tensor evaluate(Node node, int opset, List<Tensor> inputs, List<long[]> shapes, DataType outType) {
        IntFunction<long[]> params = i -> i < inputs.size() && inputs.get(i) != null ? HostValues.longs(inputs.get(i)) : null;
        String out = node.output();
        return switch (node.opType()) {
            case "Shape" -> {
                long[] s = shapes.get(0);
                int[] range = ShapeRules.shapeRange(node, s.length);
                yield new Tensor(out, DataType.INT64, new long[]{range[1] - range[0]}, Arrays.copyOfRange(s, range[0], range[1]));
            }
            case "Size" -> new Tensor(out, DataType.INT64, new long[0], new long[]{Shapes.count(shapes.get(0))});
            case "Identity", "Reshape", "Unsqueeze", "Squeeze", "Flatten" ->
                    new Tensor(out, outType, ShapeRules.infer(node, opset, shapes, params), inputs.get(0).data());
            case "Cast" -> cast(inputs.get(0), outType, out);
            case "ConstantOfShape" -> constantOfShape(node, params.apply(0), outType);
            case "Range" -> range(inputs, outType, out);
            case "Gather", "Concat", "Slice", "Expand" -> HostMovement.evaluate(node, opset, inputs, shapes, params, outType);
            default -> HostArithmetic.evaluate(node, inputs, outType);
        };
    }

    private static Tensor cast(Tensor in, DataType to, String name) {
        Object data = HostValues.newArray(to, in.size());
        for (int i = 0; i < in.size(); i++) {
            if (HostValues.isFloating(in.type())) {
                HostValues.setDouble(data, to, i, HostValues.doubleAt(in, i));
            } else {
                HostValues.setLong(data, to, i, HostValues.longAt(in, i));
            }
        }
        return new Tensor(name, to, in.shape(), data);
    }

    private static Tensor constantOfShape(Node node, long[] shape, DataType type) {
        int n = Math.toIntExact(Shapes.count(shape));
        Object data = HostValues.newArray(type, n);
        Tensor value = node.attribute("value").map(Attribute::asTensor).orElse(null);
        for (int i = 0; i < n; i++) {
            if (value == null) {
                HostValues.setLong(data, type, i, 0);
            } else {
                HostValues.copy(value.data(), 0, data, i);
            }
        }
        return new Tensor(node.output(), type, shape, data);
    }

    private static Tensor range(List<Tensor> inputs, DataType type, String name) {
        double start = HostValues.doubleAt(inputs.get(0), 0);
        double limit = HostValues.doubleAt(inputs.get(1), 0);
        double delta = HostValues.doubleAt(inputs.get(2), 0);
        int n = (int) Math.max(0, Math.ceil((limit - start) / delta));
        Object data = HostValues.newArray(type, n);
        for (int i = 0; i < n; i++) {
            HostValues.setDouble(data, type, i, start + i * delta);
        }
        return new Tensor(name, type, new long[]{n}, data);
    }
}
