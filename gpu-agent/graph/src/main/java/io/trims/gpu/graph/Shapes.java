package io.trims.gpu.graph;

import java.util.Arrays;

/** Shape arithmetic shared by shape inference, host evaluation and the executor. */
public final class Shapes {

    private Shapes() {
    }

    public static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Product of dims in [from, to). */
    public static long count(long[] shape, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** A possibly negative axis as an index into a shape of {@code rank}. */
    public static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new GraphException("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** The numpy-style broadcast of two shapes. */
    public static long[] broadcast(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new GraphException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Element strides of a contiguous tensor of {@code in} shape read as {@code out} (0 along broadcast dims). */
    public static long[] broadcastStrides(long[] in, long[] out) {
        long[] strides = new long[out.length];
        long stride = 1;
        for (int i = out.length - 1, j = in.length - 1; i >= 0; i--, j--) {
            if (j >= 0) {
                strides[i] = in[j] == 1 && out[i] != 1 ? 0 : stride;
                stride *= in[j];
            }
        }
        return strides;
    }

    public static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }

    /** Row-major flat offset of out index {@code flat} read through {@code strides} for an out of {@code outShape}. */
    public static long offset(long flat, long[] outShape, long[] strides) {
        long offset = 0;
        for (int d = outShape.length - 1; d >= 0; d--) {
            long dim = outShape[d];
            offset += (flat % dim) * strides[d];
            flat /= dim;
        }
        return offset;
    }
}
