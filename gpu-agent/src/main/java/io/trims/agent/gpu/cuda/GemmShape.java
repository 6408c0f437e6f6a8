package io.trims.agent.gpu.cuda;

import java.util.Arrays;

/**
 * The by-value {@code GemmShape} struct of {@code matmul.cu}: C[z] = alpha * op(A[z]) op(B[z]) + beta * bias[z],
 * row-major, over a batch z = z1 * batchInner + z2 (strides in elements, 0 for a broadcast batch dimension).
 * bias is read at z1*biasS1 + z2*biasS2 + row*biasRs + col*biasCs.
 */
public record GemmShape(int m, int n, int k, int lda, int ldb, int ldc, boolean transA, boolean transB,
                        int batchOuter, int batchInner,
                        int sa1, int sa2, int sb1, int sb2, int sc1, int sc2,
                        int biasS1, int biasS2, int biasRs, int biasCs) {

    /** Ints in the packed struct. */
    public static final int INTS = 19;
    /** The kernel's tile of C per block, and its threads per block. */
    public static final int TILE_M = 64;
    public static final int TILE_N = 64;
    public static final int THREADS = 256;

    /** A single Gemm: op(A) is m x k, op(B) k x n, both contiguous, no bias. */
    public static GemmShape single(int m, int n, int k, boolean transA, boolean transB) {
        return new GemmShape(m, n, k, transA ? m : k, transB ? k : n, n, transA, transB,
                1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * ONNX MatMul of contiguous A [..., M, K] and B [..., K, N] with numpy batch broadcasting, output contiguous
     * [batch..., M, N]. Where B has no batch (a weight) and A is contiguous, A's batch folds into M: one big GEMM.
     * Batch dimensions that do not collapse into two are rejected.
     */
    public static GemmShape matMul(long[] a, long[] b) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("MatMul operands of rank < 2 must be reshaped first: "
                    + Arrays.toString(a) + " x " + Arrays.toString(b));
        }
        int m = Math.toIntExact(a[a.length - 2]);
        int k = Math.toIntExact(a[a.length - 1]);
        int n = Math.toIntExact(b[b.length - 1]);
        if (b[b.length - 2] != k) {
            throw new IllegalArgumentException("MatMul inner dimensions differ: " + Arrays.toString(a) + " x "
                    + Arrays.toString(b));
        }
        long[] batchA = Arrays.copyOf(a, a.length - 2);
        long[] batchB = Arrays.copyOf(b, b.length - 2);
        if (elements(batchB) == 1) {
            int rows = Math.toIntExact(elements(batchA) * m);
            return single(rows, n, k, false, false);
        }
        long[] batch = StridePacking.broadcastShape(batchA, batchB);
        int[] sa = scaled(StridePacking.broadcastStrides(batchA, batch), m * k);
        int[] sb = scaled(StridePacking.broadcastStrides(batchB, batch), k * n);
        int[] sc = scaled(StridePacking.contiguous(batch), m * n);
        StridePacking.Layout l = new StridePacking.Layout(StridePacking.toInts(batch), new int[][] {sa, sb, sc})
                .collapse();
        int dims = l.shape().length;
        if (dims > 2) {
            throw new IllegalArgumentException("MatMul batch " + Arrays.toString(batch) + " does not collapse to two "
                    + "dimensions");
        }
        int outer = dims == 2 ? l.shape()[0] : 1;
        int inner = dims >= 1 ? l.shape()[dims - 1] : 1;
        int[][] s = l.strides();
        return new GemmShape(m, n, k, k, n, n, false, false, outer, inner,
                dims == 2 ? s[0][0] : 0, dims >= 1 ? s[0][dims - 1] : 0,
                dims == 2 ? s[1][0] : 0, dims >= 1 ? s[1][dims - 1] : 0,
                dims == 2 ? s[2][0] : 0, dims >= 1 ? s[2][dims - 1] : 0,
                0, 0, 0, 0);
    }

    /** This shape with a bias read through the given strides (see ONNX Gemm's broadcast of C). */
    public GemmShape withBias(int rowStride, int colStride) {
        return new GemmShape(m, n, k, lda, ldb, ldc, transA, transB, batchOuter, batchInner,
                sa1, sa2, sb1, sb2, sc1, sc2, 0, 0, rowStride, colStride);
    }

    public int batch() {
        return batchOuter * batchInner;
    }

    /** Multiply-adds times two: the FLOPs of one launch. */
    public double flops() {
        return 2.0 * m * n * k * batch();
    }

    /** The launch grid: one block per 64x64 tile of C, batch along z. */
    public LaunchGeometry.Grid grid() {
        return new LaunchGeometry.Grid(LaunchGeometry.ceilDiv(n, TILE_N), LaunchGeometry.ceilDiv(m, TILE_M), batch(),
                THREADS);
    }

    /** The struct in field order of {@code matmul.cu}. */
    public int[] pack() {
        return new int[] {m, n, k, lda, ldb, ldc, transA ? 1 : 0, transB ? 1 : 0, batchInner,
                sa1, sa2, sb1, sb2, sc1, sc2, biasS1, biasS2, biasRs, biasCs};
    }

    private static long elements(long[] shape) {
        long e = 1;
        for (long d : shape) {
            e *= d;
        }
        return e;
    }

    private static int[] scaled(int[] strides, int by) {
        int[] s = new int[strides.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.multiplyExact(strides[i], by);
        }
        return s;
    }
}
