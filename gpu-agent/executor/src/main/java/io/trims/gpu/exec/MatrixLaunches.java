package io.trims.gpu.exec;

import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.Node;
import io.trims.gpu.graph.ShapeRules;
import io.trims.gpu.graph.Shapes;

import java.util.Arrays;

/** Device launches for MatMul, Gemm, ReduceMean, Softmax and LayerNormalization. */
final class MatrixLaunches {

    private MatrixLaunches() {
    }

    static <B> Runnable compile(Node node, StepContext<B> ctx) {
        Kernels<B> k = ctx.kernels();
        String x = node.inputs().get(0);
        long[] xs = ctx.shape(x);
        B in = ctx.buffer(x);
        B out = ctx.buffer(node.output());
        return switch (node.opType()) {
            case "MatMul" -> matMul(k, in, xs, ctx.buffer(node.inputs().get(1)), ctx.shape(node.inputs().get(1)), out);
            case "Gemm" -> gemm(node, ctx, in, xs, out);
            case "ReduceMean" -> {
                // Binder has checked that the reduced axes are the trailing ones.
                int[] axes = ShapeRules.reducedAxes(node, ctx.opset(), xs.length,
                        i -> node.input(i).map(ctx::longs).orElse(null));
                int first = xs.length - axes.length;
                long rows = Shapes.count(xs, 0, first);
                long cols = Shapes.count(xs, first, xs.length);
                yield () -> k.reduceMean(in, out, rows, cols);
            }
            case "Softmax" -> {
                boolean legacy = ctx.opset() < 13;
                int axis = Shapes.axis(node.intAttr("axis", legacy ? 1 : -1), xs.length);
                long outer = Shapes.count(xs, 0, axis);
                long size = legacy ? Shapes.count(xs, axis, xs.length) : xs[axis];
                long inner = legacy ? 1 : Shapes.count(xs, axis + 1, xs.length);
                yield () -> k.softmax(in, out, outer, size, inner);
            }
            case "LayerNormalization" -> {
                int axis = Shapes.axis(node.intAttr("axis", -1), xs.length);
                long rows = Shapes.count(xs, 0, axis);
                long cols = Shapes.count(xs, axis, xs.length);
                B scale = ctx.buffer(node.inputs().get(1));
                B bias = node.input(2).map(ctx::buffer).orElse(null);
                float epsilon = node.floatAttr("epsilon", 1e-5f);
                yield () -> k.layerNorm(in, scale, bias, out, rows, cols, epsilon);
            }
            default -> throw new GraphException(node.describe() + " is not a matrix operator");
        };
    }

    private static <B> Runnable matMul(Kernels<B> k, B a, long[] as, B b, long[] bs, B out) {
        long[] a2 = as.length == 1 ? new long[]{1, as[0]} : as;
        long[] b2 = bs.length == 1 ? new long[]{bs[0], 1} : bs;
        long m = a2[a2.length - 2];
        long kk = a2[a2.length - 1];
        long n = b2[b2.length - 1];
        long[] aBatch = Arrays.copyOf(a2, a2.length - 2);
        long[] bBatch = Arrays.copyOf(b2, b2.length - 2);
        long[] batch = Shapes.broadcast(aBatch, bBatch);
        long[] aStrides = scale(Shapes.broadcastStrides(aBatch, batch), m * kk);
        long[] bStrides = scale(Shapes.broadcastStrides(bBatch, batch), kk * n);
        return () -> k.matMul(a, b, out, m, n, kk, batch, aStrides, bStrides);
    }

    private static <B> Runnable gemm(Node node, StepContext<B> ctx, B a, long[] as, B out) {
        Kernels<B> k = ctx.kernels();
        boolean transA = node.intAttr("transA", 0) != 0;
        boolean transB = node.intAttr("transB", 0) != 0;
        long[] bs = ctx.shape(node.inputs().get(1));
        long m = transA ? as[1] : as[0];
        long kk = transA ? as[0] : as[1];
        long n = transB ? bs[0] : bs[1];
        B b = ctx.buffer(node.inputs().get(1));
        float alpha = node.floatAttr("alpha", 1f);
        float beta = node.floatAttr("beta", 1f);
        B c = node.input(2).map(ctx::buffer).orElse(null);
        long[] cs = node.input(2).map(name -> Shapes.broadcastStrides(ctx.shape(name), new long[]{m, n})).orElse(new long[2]);
        return () -> k.gemm(a, b, c, cs[0], cs[1], out, m, n, kk, transA, transB, alpha, beta);
    }

    private static long[] scale(long[] strides, long factor) {
        return Arrays.stream(strides).map(s -> s * factor).toArray();
    }
}
