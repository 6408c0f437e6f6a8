package io.trims.gpu.cuda;

import io.trims.gpu.graph.Shapes;

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
    /** Threads per block of both GEMM kernels. */
    public static final int THREADS = 256;
    /** Tile edge of sgemm_f32 and of sgemm128_f32. */
    public static final int SMALL_TILE = 64;
    public static final int LARGE_TILE = 128;

    /** A single Gemm: op(A) is m x k, op(B) k x n, both contiguous, no bias. */
    public static GemmShape single(int m, int n, int k, boolean transA, boolean transB) {
        return new GemmShape(m, n, k, transA ? m : k, transB ? k : n, n, transA, transB,
                1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * ONNX MatMul of contiguous A [..., M, K] and B [..., K, N] with numpy batch broadcasting, output contiguous
     * [batch..., M, N].
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
        long[] batch = StridePacking.broadcastShape(batchA, batchB);
        return batched(m, n, k, batch, StridePacking.toLongs(scaled(StridePacking.broadcastStrides(batchA, batch), m * k)),
                StridePacking.toLongs(scaled(StridePacking.broadcastStrides(batchB, batch), k * n)));
    }

    /**
     * A batch of products over {@code batch} dimensions: matrix offsets (elements) per batch dimension in A and in
     * B (0 = broadcast), A and B matrices contiguous, output contiguous [batch..., M, N]. Where B is the same for
     * every batch entry (a weight) and A's batch is contiguous, A's batch folds into M: one big GEMM. Batch
     * dimensions that do not collapse into two are rejected.
     */
    public static GemmShape batched(long m, long n, long k, long[] batch, long[] aStrides, long[] bStrides) {
        int mi = Math.toIntExact(m), ni = Math.toIntExact(n), ki = Math.toIntExact(k);
        int[] sa = StridePacking.toInts(aStrides);
        int[] sb = StridePacking.toInts(bStrides);
        int[] sc = scaled(StridePacking.contiguous(batch), mi * ni);
        int[] packedA = scaled(StridePacking.contiguous(batch), mi * ki);
        boolean bShared = true;
        for (int d = 0; d < batch.length; d++) {
            bShared &= batch[d] == 1 || sb[d] == 0;
            packedA[d] = batch[d] == 1 ? sa[d] : packedA[d];
        }
        if (bShared && Arrays.equals(packedA, sa)) {
            return single(Math.toIntExact(Shapes.count(batch) * m), ni, ki, false, false);
        }
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
        return new GemmShape(mi, ni, ki, ki, ni, ni, false, false, outer, inner,
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

    /**
     * The kernel for this product: the 128x128-tile kernel where both M and N fill at least one of its tiles, so
     * that few of its threads idle on edges; the 64x64 one otherwise (small or skinny products).
     */
    public CudaKernel kernel() {
        return m >= LARGE_TILE && n >= LARGE_TILE ? CudaKernel.SGEMM128_F32 : CudaKernel.SGEMM_F32;
    }

    /** The launch grid of {@link #kernel()}: one block per tile of C, batch along z. */
    public LaunchGeometry.Grid grid() {
        int tile = kernel() == CudaKernel.SGEMM128_F32 ? LARGE_TILE : SMALL_TILE;
        return new LaunchGeometry.Grid(LaunchGeometry.ceilDiv(n, tile), LaunchGeometry.ceilDiv(m, tile), batch(),
                THREADS);
    }

    /** The struct in field order of {@code matmul.cu}. */
    public int[] pack() {
        return new int[] {m, n, k, lda, ldb, ldc, transA ? 1 : 0, transB ? 1 : 0, batchInner,
                sa1, sa2, sb1, sb2, sc1, sc2, biasS1, biasS2, biasRs, biasCs};
    }

    private static int[] scaled(int[] strides, int by) {
        int[] s = new int[strides.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.multiplyExact(strides[i], by);
        }
        return s;
    }
}
