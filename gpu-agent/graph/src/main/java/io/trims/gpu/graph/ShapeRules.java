package io.trims.gpu.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Output shape of one operator from its input shapes and the values of its host-known parameter inputs. Ops whose
 * shape depends on data values other than parameters (Range, ConstantOfShape) are shaped by {@link HostEvaluator}.
 */
public final class ShapeRules {

    private ShapeRules() {
    }

    /**
     * @param shapes input shapes by position (null for an omitted input)
     * @param params values of host-known inputs as longs by position (null where not host-known)
     */
    public static long[] infer(Node node, int opset, List<long[]> shapes, IntFunction<long[]> params) {
        long[] x = shapes.get(0);
        return switch (node.opType()) {
            case "Add", "Sub", "Mul", "Div", "Pow", "Equal", "Less", "Greater", "Where", "Min", "Max" -> broadcastAll(shapes);
            case "Sqrt", "Erf", "Relu", "Sigmoid", "Tanh", "Gelu", "Neg", "Exp", "Not", "Cast", "Softmax",
                 "LayerNormalization", "Identity", "Dropout" -> x.clone();
            case "ReduceMean" -> reduce(node, opset, x, params);
            case "MatMul" -> matMul(x, shapes.get(1));
            case "Gemm" -> new long[]{node.intAttr("transA", 0) != 0 ? x[1] : x[0],
                    node.intAttr("transB", 0) != 0 ? shapes.get(1)[0] : shapes.get(1)[1]};
            case "Gather" -> gather(x, shapes.get(1), Shapes.axis(node.intAttr("axis", 0), x.length));
            case "Transpose" -> transpose(x, perm(node, x.length));
            case "Concat" -> concat(shapes, Shapes.axis(node.intAttr("axis", 0), x.length));
            case "Slice" -> slice(node, opset, x, params).outShape();
            case "Expand" -> Shapes.broadcast(x, param(node, params, 1));
            case "Reshape" -> reshape(x, param(node, params, 1), node.intAttr("allowzero", 0) != 0);
            case "Unsqueeze" -> unsqueeze(x, axes(node, opset, params, 13));
            case "Squeeze" -> squeeze(x, axes(node, opset, params, 13));
            case "Flatten" -> flatten(x, Shapes.axis(node.intAttr("axis", 1), x.length + 1));
            case "Shape" -> new long[]{shapeRange(node, x.length)[1] - shapeRange(node, x.length)[0]};
            case "Size" -> new long[0];
            case "ConstantOfShape" -> param(node, params, 0);
            default -> throw new GraphException(node.describe() + " has no shape rule");
        };
    }

    /** Slice bounds for a Slice node (inputs on opset 10+, attributes before). */
    public static SliceRule slice(Node node, int opset, long[] x, IntFunction<long[]> params) {
        if (opset < 10) {
            return SliceRule.of(x, node.intsAttr("starts").orElseThrow(), node.intsAttr("ends").orElseThrow(),
                    node.intsAttr("axes").orElse(null), null);
        }
        return SliceRule.of(x, param(node, params, 1), param(node, params, 2),
                node.input(3).isPresent() ? param(node, params, 3) : null,
                node.input(4).isPresent() ? param(node, params, 4) : null);
    }

    /** The [start, end) of dims a Shape node reports (opset 15 start/end attributes). */
    public static int[] shapeRange(Node node, int rank) {
        int start = (int) clampAxis(node.intAttr("start", 0), rank);
        int end = (int) clampAxis(node.intAttr("end", rank), rank);
        return new int[]{start, Math.max(start, end)};
    }

    public static int[] perm(Node node, int rank) {
        long[] perm = node.intsAttr("perm").orElse(null);
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = perm == null ? rank - 1 - i : (int) perm[i];
        }
        return p;
    }

    /** Axes of Unsqueeze/Squeeze/ReduceMean: an attribute before {@code inputSince}, input 1 from then on; null if none. */
    public static long[] axes(Node node, int opset, IntFunction<long[]> params, int inputSince) {
        if (opset < inputSince) {
            return node.intsAttr("axes").orElse(null);
        }
        return node.input(1).isPresent() ? param(node, params, 1) : null;
    }

    /** ReduceMean's reduced axes, sorted and non-negative (all axes when none are given). */
    public static int[] reducedAxes(Node node, int opset, int rank, IntFunction<long[]> params) {
        long[] axes = axes(node, opset, params, 18);
        if (axes == null || axes.length == 0) {
            return java.util.stream.IntStream.range(0, rank).toArray();
        }
        return Arrays.stream(axes).mapToInt(a -> Shapes.axis(a, rank)).sorted().distinct().toArray();
    }

    private static long[] reduce(Node node, int opset, long[] x, IntFunction<long[]> params) {
        int[] axes = reducedAxes(node, opset, x.length, params);
        boolean keep = node.intAttr("keepdims", 1) != 0;
        List<Long> out = new ArrayList<>();
        for (int d = 0; d < x.length; d++) {
            boolean reduced = Arrays.binarySearch(axes, d) >= 0;
            if (!reduced) {
                out.add(x[d]);
            } else if (keep) {
                out.add(1L);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] param(Node node, IntFunction<long[]> params, int i) {
        long[] v = params.apply(i);
        if (v == null) {
            throw new GraphException(node.describe() + ": input " + i + " must be known on the host (from shapes and constants)");
        }
        return v;
    }

    private static long[] broadcastAll(List<long[]> shapes) {
        long[] out = new long[0];
        for (long[] s : shapes) {
            if (s != null) {
                out = Shapes.broadcast(out, s);
            }
        }
        return out;
    }

    static long[] matMul(long[] a, long[] b) {
        long[] a2 = a.length == 1 ? new long[]{1, a[0]} : a;
        long[] b2 = b.length == 1 ? new long[]{b[0], 1} : b;
        if (a2[a2.length - 1] != b2[b2.length - 2]) {
            throw new GraphException("MatMul of " + Arrays.toString(a) + " and " + Arrays.toString(b));
        }
        long[] batch = Shapes.broadcast(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
        List<Long> out = new ArrayList<>(Arrays.stream(batch).boxed().toList());
        if (a.length > 1) {
            out.add(a2[a2.length - 2]);
        }
        if (b.length > 1) {
            out.add(b2[b2.length - 1]);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] gather(long[] data, long[] indices, int axis) {
        long[] out = new long[data.length - 1 + indices.length];
        System.arraycopy(data, 0, out, 0, axis);
        System.arraycopy(indices, 0, out, axis, indices.length);
        System.arraycopy(data, axis + 1, out, axis + indices.length, data.length - axis - 1);
        return out;
    }

    private static long[] transpose(long[] x, int[] perm) {
        long[] out = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[perm[i]];
        }
        return out;
    }

    private static long[] concat(List<long[]> shapes, int axis) {
        long[] out = shapes.get(0).clone();
        out[axis] = 0;
        for (long[] s : shapes) {
            out[axis] += s[axis];
        }
        return out;
    }

    static long[] reshape(long[] x, long[] target, boolean allowZero) {
        long[] out = target.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                out[i] = x[i];
            }
            if (out[i] == -1) {
                infer = i;
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            out[infer] = known == 0 ? 0 : Shapes.count(x) / known;
        }
        if (Shapes.count(out) != Shapes.count(x)) {
            throw new GraphException("cannot reshape " + Arrays.toString(x) + " to " + Arrays.toString(target));
        }
        return out;
    }

    private static long[] unsqueeze(long[] x, long[] axes) {
        int rank = x.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            inserted[Shapes.axis(a, rank)] = true;
        }
        long[] out = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : x[j++];
        }
        return out;
    }

    private static long[] squeeze(long[] x, long[] axes) {
        boolean[] removed = new boolean[x.length];
        if (axes == null) {
            for (int i = 0; i < x.length; i++) {
                removed[i] = x[i] == 1;
            }
        } else {
            for (long a : axes) {
                removed[Shapes.axis(a, x.length)] = true;
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!removed[i]) {
                out.add(x[i]);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] flatten(long[] x, int axis) {
        return new long[]{Shapes.count(x, 0, axis), Shapes.count(x, axis, x.length)};
    }

    private static long clampAxis(long a, int rank) {
        long v = a < 0 ? a + rank : a;
        return Math.max(0, Math.min(rank, v));
    }
}
