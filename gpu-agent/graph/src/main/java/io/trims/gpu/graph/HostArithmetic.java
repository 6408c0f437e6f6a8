package io.trims.gpu.graph;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.util.List;

/** Elementwise shape arithmetic on the host with numpy broadcasting: integers in long, floats in double. */
final class HostArithmetic {

    private HostArithmetic() {
    }

    static Tensor evaluate(Node node, List<Tensor> inputs, DataType outType) {
        long[] shape = new long[0];
        for (Tensor t : inputs) {
            shape = Shapes.broadcast(shape, t.shape());
        }
        int n = Math.toIntExact(Shapes.count(shape));
        long[][] strides = new long[inputs.size()][];
        for (int k = 0; k < inputs.size(); k++) {
            strides[k] = Shapes.broadcastStrides(inputs.get(k).shape(), shape);
        }
        Tensor first = inputs.get(0);
        boolean floating = HostValues.isFloating(node.opType().equals("Where") ? inputs.get(1).type() : first.type());
        Object data = HostValues.newArray(outType, n);
        for (int i = 0; i < n; i++) {
            int[] at = new int[inputs.size()];
            for (int k = 0; k < at.length; k++) {
                at[k] = (int) Shapes.offset(i, shape, strides[k]);
            }
            if (floating) {
                HostValues.setDouble(data, outType, i, doubleOp(node, inputs, at));
            } else {
                HostValues.setLong(data, outType, i, longOp(node, inputs, at));
            }
        }
        return new Tensor(node.output(), outType, shape, data);
    }

    private static double doubleOp(Node node, List<Tensor> in, int[] at) {
        double a = HostValues.doubleAt(in.get(0), at[0]);
        double b = in.size() > 1 ? HostValues.doubleAt(in.get(1), at[1]) : 0;
        return switch (node.opType()) {
            case "Add" -> a + b;
            case "Sub" -> a - b;
            case "Mul" -> a * b;
            case "Div" -> a / b;
            case "Min" -> Math.min(a, b);
            case "Max" -> Math.max(a, b);
            case "Neg" -> -a;
            case "Equal" -> a == b ? 1 : 0;
            case "Less" -> a < b ? 1 : 0;
            case "Greater" -> a > b ? 1 : 0;
            case "Not" -> a == 0 ? 1 : 0;
            case "Where" -> a != 0 ? b : HostValues.doubleAt(in.get(2), at[2]);
            default -> throw new GraphException(node.describe() + " cannot be evaluated on the host");
        };
    }

    private static long longOp(Node node, List<Tensor> in, int[] at) {
        long a = HostValues.longAt(in.get(0), at[0]);
        long b = in.size() > 1 ? HostValues.longAt(in.get(1), at[1]) : 0;
        return switch (node.opType()) {
            case "Add" -> a + b;
            case "Sub" -> a - b;
            case "Mul" -> a * b;
            case "Div" -> a / b;
            case "Min" -> Math.min(a, b);
            case "Max" -> Math.max(a, b);
            case "Neg" -> -a;
            case "Equal" -> a == b ? 1 : 0;
            case "Less" -> a < b ? 1 : 0;
            case "Greater" -> a > b ? 1 : 0;
            case "Not" -> a == 0 ? 1 : 0;
            case "Where" -> a != 0 ? b : HostValues.longAt(in.get(2), at[2]);
            default -> throw new GraphException(node.describe() + " cannot be evaluated on the host");
        };
    }
}
