package io.trims.gpu.exec;

import io.trims.gpu.graph.ElementTypes;
import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.Node;
import io.trims.gpu.graph.ShapeRules;
import io.trims.gpu.graph.Shapes;
import io.trims.gpu.graph.SliceRule;
import io.trims.protocol.tensor.DataType;

import java.util.ArrayList;
import java.util.List;

/** Device launches for Gather, Transpose, Concat and Slice. */
final class MovementLaunches {

    private MovementLaunches() {
    }

    static <B> Runnable compile(Node node, StepContext<B> ctx) {
        Kernels<B> k = ctx.kernels();
        String x = node.inputs().get(0);
        long[] xs = ctx.shape(x);
        DataType type = ctx.type(x);
        B in = ctx.buffer(x);
        B out = ctx.buffer(node.output());
        return switch (node.opType()) {
            case "Gather" -> {
                int axis = Shapes.axis(node.intAttr("axis", 0), xs.length);
                String indices = node.inputs().get(1);
                long count = Shapes.count(ctx.shape(indices));
                B idx = ctx.buffer(indices);
                long outer = Shapes.count(xs, 0, axis);
                long inner = Shapes.count(xs, axis + 1, xs.length);
                yield () -> k.gather(type, in, idx, out, outer, xs[axis], inner, count);
            }
            case "Transpose" -> {
                if (xs.length > 6) {
                    throw new GraphException(node.describe() + ": rank " + xs.length + " is over the GPU's 6");
                }
                int[] perm = ShapeRules.perm(node, xs.length);
                yield () -> k.transpose(type, in, xs, perm, out);
            }
            case "Slice" -> {
                SliceRule rule = ShapeRules.slice(node, ctx.opset(), xs, i -> node.input(i).map(ctx::longs).orElse(null));
                yield () -> k.slice(type, in, xs, rule.starts(), rule.steps(), out, rule.outShape());
            }
            case "Concat" -> concat(node, ctx, type, out);
            default -> throw new GraphException(node.describe() + " is not a data movement operator");
        };
    }

    private static <B> Runnable concat(Node node, StepContext<B> ctx, DataType type, B out) {
        Kernels<B> k = ctx.kernels();
        long[] outShape = ctx.shape(node.output());
        int axis = Shapes.axis(node.intAttr("axis", 0), outShape.length);
        long rows = Shapes.count(outShape, 0, axis);
        long dstStride = Shapes.count(outShape, axis, outShape.length);
        long elementBytes = ElementTypes.bytes(type);
        long outBytes = Shapes.count(outShape) * elementBytes;
        List<Runnable> copies = new ArrayList<>();
        long column = 0;
        for (String input : node.inputs()) {
            long cols = Shapes.count(ctx.shape(input), axis, outShape.length);
            if (cols > 0 && rows > 0) {
                B src = ctx.buffer(input);
                B dst = k.view(out, column * elementBytes, outBytes - column * elementBytes);
                copies.add(() -> k.copyRows(type, src, cols, dst, dstStride, rows, cols));
            }
            column += cols;
        }
        return () -> copies.forEach(Runnable::run);
    }
}
