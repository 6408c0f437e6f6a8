package io.trims.gpu.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shapes and element strides for the strided kernels (broadcasting elementwise operators, Where, and the strided
 * copy behind Transpose, Slice, Expand and Concat), and their packing into the by-value structs of
 * {@code trims.cuh}. Layouts are collapsed first: extent-1 dimensions are dropped and neighbouring dimensions that
 * are contiguous in every operand are merged, so most launches index a rank-1 or rank-2 space.
 */
public final class StridePacking {

    public static final int MAX_RANK = 6;
    public static final int STRIDED1_INTS = 1 + 2 * MAX_RANK;
    public static final int STRIDED2_INTS = 1 + 3 * MAX_RANK;
    public static final int STRIDED3_INTS = 1 + 4 * MAX_RANK;

    private StridePacking() {
    }

    /**
     * An index space and, per operand, the element stride along each of its dimensions.
     *
     * @param shape   the extent of each dimension (the output's shape)
     * @param strides {@code strides[operand][dim]}; 0 along a broadcast dimension
     */
    public record Layout(int[] shape, int[][] strides) {

        public int elements() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** The struct {@code Strided1/2/3} (by operand count): rank, shape[6], then each operand's strides[6]. */
        public int[] pack() {
            if (shape.length > MAX_RANK) {
                throw new IllegalArgumentException("rank " + shape.length + " exceeds the kernels' " + MAX_RANK
                        + " after collapsing " + Arrays.toString(shape));
            }
            int[] packed = new int[1 + MAX_RANK * (1 + strides.length)];
            Arrays.fill(packed, 1, 1 + MAX_RANK, 1);
            packed[0] = shape.length;
            System.arraycopy(shape, 0, packed, 1, shape.length);
            for (int op = 0; op < strides.length; op++) {
                System.arraycopy(strides[op], 0, packed, 1 + MAX_RANK * (1 + op), shape.length);
            }
            return packed;
        }

        /** The same index space with extent-1 dimensions dropped and jointly contiguous neighbours merged. */
        public Layout collapse() {
            List<Integer> dims = new ArrayList<>();
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] != 1) {
                    dims.add(d);
                }
            }
            List<int[]> merged = new ArrayList<>(); // each: extent, then one stride per operand
            for (int d : dims) {
                int[] next = new int[1 + strides.length];
                next[0] = shape[d];
                for (int op = 0; op < strides.length; op++) {
                    next[1 + op] = strides[op][d];
                }
                if (!merged.isEmpty() && mergeable(merged.get(merged.size() - 1), next)) {
                    int[] last = merged.get(merged.size() - 1);
                    last[0] *= next[0];
                    System.arraycopy(next, 1, last, 1, strides.length);
                } else {
                    merged.add(next);
                }
            }
            int[] s = new int[merged.size()];
            int[][] st = new int[strides.length][merged.size()];
            for (int i = 0; i < merged.size(); i++) {
                s[i] = merged.get(i)[0];
                for (int op = 0; op < strides.length; op++) {
                    st[op][i] = merged.get(i)[1 + op];
                }
            }
            return new Layout(s, st);
        }

        private static boolean mergeable(int[] outer, int[] inner) {
            for (int op = 1; op < outer.length; op++) {
                if (outer[op] != inner[op] * inner[0]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A strided copy: its layout (operand 0 the source, 1 the destination) and start offsets in elements. */
    public record CopyLayout(Layout layout, int offsetX, int offsetY) {
    }

    /** Row-major strides of a contiguous tensor. */
    public static int[] contiguous(long[] shape) {
        int[] strides = new int[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = Math.toIntExact(s);
            s *= shape[d];
        }
        return strides;
    }

    /** The ONNX (numpy) broadcast of two shapes. */
    public static long[] broadcastShape(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = dim(a, i, rank);
            long y = dim(b, i, rank);
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** Strides that read a tensor of {@code in} shape as if broadcast to {@code out} (0 where it repeats). */
    public static int[] broadcastStrides(long[] in, long[] out) {
        if (in.length > out.length) {
            throw new IllegalArgumentException("cannot broadcast rank " + in.length + " to rank " + out.length);
        }
        int[] own = contiguous(in);
        int[] strides = new int[out.length];
        int lead = out.length - in.length;
        for (int i = lead; i < out.length; i++) {
            long d = in[i - lead];
            if (d != out[i] && d != 1) {
                throw new IllegalArgumentException(Arrays.toString(in) + " does not broadcast to " + Arrays.toString(out));
            }
            strides[i] = d == 1 ? 0 : own[i - lead];
        }
        return strides;
    }

    /** The layout of an elementwise operator over operands broadcast to {@code out}, output contiguous last. */
    public static Layout elementwise(long[] out, long[]... operands) {
        int[][] strides = new int[operands.length][];
        for (int i = 0; i < operands.length; i++) {
            strides[i] = broadcastStrides(operands[i], out);
        }
        return new Layout(toInts(out), strides).collapse();
    }

    /** Transpose: output dimension i is input dimension perm[i]. */
    public static CopyLayout transpose(long[] in, int[] perm) {
        int[] own = contiguous(in);
        long[] out = new long[perm.length];
        int[] sx = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = in[perm[i]];
            sx[i] = own[perm[i]];
        }
        return copy(out, sx, contiguous(out), 0, 0);
    }

    /** Slice with steps, already normalised: output extent, first index and step per axis of {@code in}. */
    public static CopyLayout slice(long[] in, long[] start, long[] step, long[] out) {
        int[] own = contiguous(in);
        int[] sx = new int[in.length];
        long offset = 0;
        for (int d = 0; d < in.length; d++) {
            sx[d] = Math.toIntExact(own[d] * step[d]);
            offset += start[d] * own[d];
        }
        return copy(out, sx, contiguous(out), Math.toIntExact(offset), 0);
    }

    /** Expand: the input broadcast to {@code out}. */
    public static CopyLayout expand(long[] in, long[] out) {
        return copy(out, broadcastStrides(in, out), contiguous(out), 0, 0);
    }

    /** One input of a Concat along {@code axis}, written into the output from {@code at} along that axis. */
    public static CopyLayout concatPart(long[] part, long[] out, int axis, long at) {
        int[] outStrides = contiguous(out);
        return copy(part, contiguous(part), outStrides, 0, Math.toIntExact(at * outStrides[axis]));
    }

    private static CopyLayout copy(long[] shape, int[] sx, int[] sy, int offsetX, int offsetY) {
        return new CopyLayout(new Layout(toInts(shape), new int[][] {sx, sy}).collapse(), offsetX, offsetY);
    }

    static int[] toInts(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = Math.toIntExact(shape[i]);
        }
        return s;
    }

    static long[] toLongs(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }

    private static long dim(long[] shape, int i, int rank) {
        int at = i - (rank - shape.length);
        return at < 0 ? 1 : shape[at];
    }
}
