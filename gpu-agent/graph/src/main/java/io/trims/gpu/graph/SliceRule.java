package io.trims.gpu.graph;

import java.util.Arrays;

/**
 * ONNX Slice bounds resolved against an input shape: per dimension the first index and the step, and the out shape.
 */
public record SliceRule(long[] starts, long[] steps, long[] outShape) {

    /** axes null means 0..n-1; steps null means all 1. */
    public static SliceRule of(long[] inShape, long[] starts, long[] ends, long[] axes, long[] steps) {
        int rank = inShape.length;
        long[] first = new long[rank];
        long[] step = new long[rank];
        long[] out = inShape.clone();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int axis = Shapes.axis(axes == null ? i : axes[i], rank);
            long dim = inShape[axis];
            long s = steps == null ? 1 : steps[i];
            if (s == 0) {
                throw new GraphException("Slice step 0 on axis " + axis);
            }
            long start = starts[i] < 0 ? starts[i] + dim : starts[i];
            long end = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (s > 0) {
                start = clamp(start, 0, dim);
                end = clamp(end, 0, dim);
                out[axis] = Math.max(0, ceilDiv(end - start, s));
            } else {
                start = clamp(start, 0, dim - 1);
                end = clamp(end, -1, dim - 1);
                out[axis] = Math.max(0, ceilDiv(start - end, -s));
            }
            first[axis] = start;
            step[axis] = s;
        }
        return new SliceRule(first, step, out);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}
