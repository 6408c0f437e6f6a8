package io.trims.gpu.cuda;

import io.trims.testmodels.UniformFloats;
import io.trims.gpu.graph.Shapes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.trims.gpu.testing.RequiresGpu;

/** The tiled SGEMM against a double-precision reference at tile-aligned and odd shapes, and its throughput. */
@RequiresGpu
class GemmOnDeviceTest {

    private static DeviceFixture gpu;
    private static CudaKernels k;
    private final Random random = new Random(42);

    @BeforeAll
    static void open() {
        gpu = new DeviceFixture(PinnedStaging.DEFAULT_BYTES);
        k = gpu.kernels("gemm-test");
    }

    @AfterAll
    static void close() {
        k.close();
        gpu.memory.freeAll("gemm-test");
        gpu.close();
    }

    @Test
    void gemmAtEveryTransposeAndOddShapes() {
        int[][] shapes = {{1, 1, 1}, {64, 64, 64}, {65, 33, 17}, {127, 129, 255}, {128, 384, 384}, {3, 1536, 384},
                {300, 257, 129}, {512, 384, 768}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                check(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, null, 0, 0, 1f, 0f);
            }
        }
    }

    @Test
    void gemmWithAlphaBetaAndBroadcastBias() {
        int m = 70, n = 45, kk = 33;
        check(m, n, kk, false, true, UniformFloats.draw(random, n), 0, 1, 0.5f, 2f);      // C of [N]
        check(m, n, kk, true, false, UniformFloats.draw(random, m), 1, 0, 1f, -1f);       // C of [M, 1]
        check(m, n, kk, false, false, UniformFloats.draw(random, m * n), n, 1, 2f, 0.25f); // C of [M, N]
        check(m, n, kk, false, false, new float[] {3f}, 0, 0, 1f, 1f); // scalar C
    }

    @Test
    void batchedMatMulWithBroadcastAndFolding() {
        matMul(new long[] {2, 3, 65, 33}, new long[] {2, 3, 33, 17});
        matMul(new long[] {2, 1, 5, 4}, new long[] {3, 4, 6});
        matMul(new long[] {4, 128, 384}, new long[] {384, 100});
        matMul(new long[] {12, 128, 32}, new long[] {12, 32, 128});
    }

    @Test
    void sgemmThroughputIsMeasured() {
        GemmBenchmark.Measurement m = GemmBenchmark.sgemm(gpu.memory, gpu.module, 4096, 4096, 4096, 10);
        System.out.printf("trims SGEMM 4096^3 on %s: %.1f GFLOP/s (%.3f s for %d)%n", gpu.device.name(),
                m.flopsPerSecond() / 1e9, m.seconds(), m.reps());
        assertTrue(m.flopsPerSecond() > 1e11, "at least 100 GFLOP/s on an A100/H100-class device: " + m);
        assertEquals(0, gpu.memory.bytes("gemm-benchmark"));
    }

    private void check(int m, int n, int kk, boolean ta, boolean tb, float[] c, int crs, int ccs, float alpha,
                       float beta) {
        float[] a = UniformFloats.draw(random, m * kk);
        float[] b = UniformFloats.draw(random, kk * n);
        DeviceBuffer da = up(a), db = up(b), dc = c == null ? null : up(c), out = k.allocate(4L * m * n);
        k.gemm(da, db, dc, crs, ccs, out, m, n, kk, ta, tb, alpha, beta);
        float[] got = k.downloadFloats(out, m * n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < kk; p++) {
                    s += (double) (ta ? a[p * m + i] : a[i * kk + p]) * (tb ? b[j * kk + p] : b[p * n + j]);
                }
                double want = alpha * s + (c == null ? 0 : beta * c[i * crs + j * ccs]);
                assertEquals(want, got[i * n + j], 1e-4 * (1 + Math.sqrt(kk)),
                        "gemm " + m + "x" + n + "x" + kk + " ta=" + ta + " tb=" + tb + " at " + i + "," + j);
            }
        }
        free(da, db, dc, out);
    }

    private void matMul(long[] aShape, long[] bShape) {
        GemmShape g = GemmShape.matMul(aShape, bShape);
        int m = (int) aShape[aShape.length - 2], kk = (int) aShape[aShape.length - 1], n = (int) bShape[bShape.length - 1];
        long[] aBatch = java.util.Arrays.copyOf(aShape, aShape.length - 2);
        long[] bBatch = java.util.Arrays.copyOf(bShape, bShape.length - 2);
        long[] batch = StridePacking.broadcastShape(aBatch, bBatch);
        int[] sa = StridePacking.broadcastStrides(aBatch, batch);
        int[] sb = StridePacking.broadcastStrides(bBatch, batch);
        long[] aStrides = new long[batch.length];
        long[] bStrides = new long[batch.length];
        for (int d = 0; d < batch.length; d++) {
            aStrides[d] = (long) sa[d] * m * kk;
            bStrides[d] = (long) sb[d] * kk * n;
        }
        float[] a = UniformFloats.draw(random, Math.toIntExact(Shapes.count(aShape)));
        float[] b = UniformFloats.draw(random, Math.toIntExact(Shapes.count(bShape)));
        int entries = g.batch() * (g.m() / m);
        DeviceBuffer da = up(a), db = up(b), out = k.allocate(4L * entries * m * n);
        k.matMul(da, db, out, m, n, kk, batch, aStrides, bStrides);
        float[] got = k.downloadFloats(out, entries * m * n);
        float[] want = KernelIndexEmulator.gemm(a, b, null, new float[entries * m * n], 1f, 0f, g.pack(), g.batch());
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4 * (1 + Math.sqrt(kk)), "matMul at " + i);
        }
        free(da, db, null, out);
    }

    private DeviceBuffer up(float[] v) {
        DeviceBuffer d = k.allocate(4L * v.length);
        k.uploadFloats(d, v);
        return d;
    }

    private void free(DeviceBuffer... buffers) {
        for (DeviceBuffer b : buffers) {
            if (b != null) {
                k.free(b);
            }
        }
    }
}
