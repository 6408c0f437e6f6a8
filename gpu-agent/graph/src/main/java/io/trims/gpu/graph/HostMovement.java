package io.trims.gpu.graph;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.util.List;
import java.util.function.IntFunction;

/** Gather, Concat, Slice and Expand of small host tensors. */
final class HostMovement {

    private HostMovement() {
    }

    static Tensor evaluate(Node node, int opset, List<Tensor> inputs, List<long[]> shapes, IntFunction<long[]> params,
                           DataType type) {
        long[] outShape = ShapeRules.infer(node, opset, shapes, params);
        int n = Math.toIntExact(Shapes.count(outShape));
        Object out = HostValues.newArray(type, n);
        Tensor x = inputs.get(0);
        switch (node.opType()) {
            case "Gather" -> gather(node, x, inputs.get(1), out, n);
            case "Concat" -> concat(node, inputs, out);
            case "Slice" -> slice(ShapeRules.slice(node, opset, x.shape(), params), x, out, outShape);
            default -> {
                long[] strides = Shapes.broadcastStrides(x.shape(), outShape);
                for (int i = 0; i < n; i++) {
                    HostValues.copy(x.data(), (int) Shapes.offset(i, outShape, strides), out, i);
                }
            }
        }
        return new Tensor(node.output(), type, outShape, out);
    }

    private static void gather(Node node, Tensor data, Tensor indices, Object out, int n) {
        long[] shape = data.shape();
        int axis = Shapes.axis(node.intAttr("axis", 0), shape.length);
        long axisSize = shape[axis];
        long inner = Shapes.count(shape, axis + 1, shape.length);
        int count = indices.size();
        for (int i = 0; i < n; i++) {
            long j = i % inner;
            long k = (i / inner) % count;
            long o = i / inner / count;
            long index = HostValues.longAt(indices, (int) k);
            if (index < 0) {
                index += axisSize;
            }
            if (index < 0 || index >= axisSize) {
                throw new GraphException(node.describe() + ": index " + index + " is out of range " + axisSize);
            }
            HostValues.copy(data.data(), (int) ((o * axisSize + index) * inner + j), out, i);
        }
    }

    private static void concat(Node node, List<Tensor> inputs, Object out) {
        long[] first = inputs.get(0).shape();
        int axis = Shapes.axis(node.intAttr("axis", 0), first.length);
        long outer = Shapes.count(first, 0, axis);
        long total = inputs.stream().mapToLong(t -> Shapes.count(t.shape(), axis, first.length)).sum();
        long offset = 0;
        for (Tensor t : inputs) {
            long block = Shapes.count(t.shape(), axis, first.length);
            for (long o = 0; o < outer; o++) {
                for (long c = 0; c < block; c++) {
                    HostValues.copy(t.data(), (int) (o * block + c), out, (int) (o * total + offset + c));
                }
            }
            offset += block;
        }
    }

    private static void slice(SliceRule rule, Tensor x, Object out, long[] outShape) {
        long[] inStrides = Shapes.contiguousStrides(x.shape());
        long base = 0;
        long[] strides = new long[outShape.length];
        for (int d = 0; d < outShape.length; d++) {
            base += rule.starts()[d] * inStrides[d];
            strides[d] = rule.steps()[d] * inStrides[d];
        }
        int n = Math.toIntExact(Shapes.count(outShape));
        for (int i = 0; i < n; i++) {
            HostValues.copy(x.data(), (int) (base + Shapes.offset(i, outShape, strides)), out, i);
        }
    }
}
