package io.trims.gpu.cuda;

import io.trims.testmodels.UniformFloats;
import io.trims.gpu.graph.Shapes;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The GEMM struct and grid, checked by evaluating the kernel's indexing on the packed fields. */
class GemmShapeTest {

    private final Random random = new Random(7);

    @Test
    void weightsWithoutBatchFoldTheActivationBatchIntoRows() {
        GemmShape g = GemmShape.matMul(new long[] {8, 128, 384}, new long[] {384, 1536});
        assertEquals(1024, g.m());
        assertEquals(1, g.batch());
        assertEquals(CudaKernel.SGEMM128_F32, g.kernel());
        assertEquals(new LaunchGeometry.Grid(12, 8, 1, 256), g.grid());
        assertEquals(2.0 * 1024 * 1536 * 384, g.flops());
    }

    @Test
    void attentionScoresBatchOverTwoDimensions() {
        long[] a = {2, 3, 5, 4};
        long[] b = {2, 3, 4, 5};
        GemmShape g = GemmShape.matMul(a, b);
        assertEquals(6, g.batch());
        assertProduct(a, b, g, 6);
    }

    @Test
    void aBroadcastBatchHasStrideZero() {
        long[] a = {2, 1, 3, 4};
        long[] b = {3, 4, 2};
        GemmShape g = GemmShape.matMul(a, b);
        assertEquals(6, g.batch());
        assertProduct(a, b, g, 6);
    }

    @Test
    void mismatchedInnerDimensionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> GemmShape.matMul(new long[] {2, 3}, new long[] {4, 2}));
    }

    @Test
    void transposedGemmWithBroadcastBias() {
        int m = 5, n = 7, k = 3;
        float[] a = UniformFloats.draw(random, k * m); // stored [k, m]
        float[] b = UniformFloats.draw(random, n * k); // stored [n, k]
        float[] bias = UniformFloats.draw(random, n);
        GemmShape g = GemmShape.single(m, n, k, true, true).withBias(0, 1);
        float[] got = KernelIndexEmulator.gemm(a, b, bias, new float[m * n], 2f, 0.5f, g.pack(), 1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[p * m + i] * b[j * k + p];
                }
                assertEquals(2f * s + 0.5f * bias[j], got[i * n + j], 1e-5);
            }
        }
        assertEquals(GemmShape.INTS, g.pack().length);
    }

    @Test
    void gridCoversOddEdges() {
        GemmShape g = GemmShape.single(65, 1, 1000, false, false);
        assertEquals(CudaKernel.SGEMM_F32, g.kernel());
        assertEquals(new LaunchGeometry.Grid(1, 2, 1, 256), g.grid());
        GemmShape skinny = GemmShape.single(4096, 127, 64, false, false);
        assertEquals(CudaKernel.SGEMM_F32, skinny.kernel());
        assertEquals(new LaunchGeometry.Grid(2, 64, 1, 256), skinny.grid());
    }

    private void assertProduct(long[] aShape, long[] bShape, GemmShape g, int batch) {
        int m = (int) aShape[aShape.length - 2], k = (int) aShape[aShape.length - 1], n = (int) bShape[bShape.length - 1];
        float[] a = UniformFloats.draw(random, Math.toIntExact(Shapes.count(aShape)));
        float[] b = UniformFloats.draw(random, Math.toIntExact(Shapes.count(bShape)));
        long[] outBatch = StridePacking.broadcastShape(java.util.Arrays.copyOf(aShape, aShape.length - 2),
                java.util.Arrays.copyOf(bShape, bShape.length - 2));
        float[] got = KernelIndexEmulator.gemm(a, b, null, new float[batch * m * n], 1f, 0f, g.pack(), batch);
        float[] want = new float[batch * m * n];
        long[] aBatch = java.util.Arrays.copyOf(aShape, aShape.length - 2);
        long[] bBatch = java.util.Arrays.copyOf(bShape, bShape.length - 2);
        int[] sa = StridePacking.broadcastStrides(aBatch, outBatch);
        int[] sb = StridePacking.broadcastStrides(bBatch, outBatch);
        int[] outStrides = StridePacking.contiguous(outBatch);
        for (int z = 0; z < batch; z++) {
            int ao = 0, bo = 0;
            for (int d = 0; d < outBatch.length; d++) {
                int idx = z / outStrides[d] % (int) outBatch[d];
                ao += idx * sa[d] * m * k;
                bo += idx * sb[d] * k * n;
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a[ao + i * k + p] * b[bo + p * n + j];
                    }
                    want[(z * m + i) * n + j] = s;
                }
            }
        }
        assertArrayEquals(want, got, 1e-5f);
    }
}
