package io.trims.gpu.exec;

import io.trims.gpu.graph.ElementTypes;
import io.trims.gpu.graph.Node;
import io.trims.gpu.graph.Shapes;
import io.trims.protocol.tensor.DataType;

import java.util.Locale;

/** Device launches for the elementwise operators: binary with broadcasting, Where, unary, Cast, Expand. */
final class ElementwiseLaunches {

    private ElementwiseLaunches() {
    }

    static <B> Runnable compile(Node node, StepContext<B> ctx) {
        Kernels<B> k = ctx.kernels();
        String out = node.output();
        long[] outShape = ctx.shape(out);
        B o = ctx.buffer(out);
        String x = node.inputs().get(0);
        B in = ctx.buffer(x);
        long count = Shapes.count(outShape);
        return switch (node.opType()) {
            case "Add", "Sub", "Mul", "Div", "Pow", "Equal" -> {
                BinaryOp op = BinaryOp.valueOf(node.opType().toUpperCase(Locale.ROOT));
                String y = node.inputs().get(1);
                long[] as = Shapes.broadcastStrides(ctx.shape(x), outShape);
                long[] bs = Shapes.broadcastStrides(ctx.shape(y), outShape);
                B b = ctx.buffer(y);
                DataType type = ctx.type(x);
                yield () -> k.binary(op, type, in, as, b, bs, o, outShape);
            }
            case "Where" -> {
                String a = node.inputs().get(1);
                String b = node.inputs().get(2);
                long[] cs = Shapes.broadcastStrides(ctx.shape(x), outShape);
                long[] as = Shapes.broadcastStrides(ctx.shape(a), outShape);
                long[] bs = Shapes.broadcastStrides(ctx.shape(b), outShape);
                B ab = ctx.buffer(a);
                B bb = ctx.buffer(b);
                DataType type = ctx.type(out);
                yield () -> k.where(type, in, cs, ab, as, bb, bs, o, outShape);
            }
            case "Cast" -> {
                DataType from = ctx.type(x);
                DataType to = ctx.type(out);
                long bytes = count * ElementTypes.bytes(to);
                yield from == to ? () -> k.copy(in, o, bytes) : () -> k.cast(from, to, in, o, count);
            }
            case "Expand" -> {
                long[] strides = Shapes.broadcastStrides(ctx.shape(x), outShape);
                DataType type = ctx.type(x);
                yield () -> k.expand(type, in, strides, o, outShape);
            }
            default -> {
                UnaryOp op = unary(node);
                yield () -> k.unary(op, in, o, count);
            }
        };
    }

    private static UnaryOp unary(Node node) {
        if (node.opType().equals("Gelu")) {
            return node.stringAttr("approximate", "none").equals("tanh") ? UnaryOp.GELU_TANH : UnaryOp.GELU;
        }
        return UnaryOp.valueOf(node.opType().toUpperCase(Locale.ROOT));
    }
}
