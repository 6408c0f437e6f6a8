package io.trims.gpu.cuda;

import io.trims.gpu.exec.BinaryOp;
import io.trims.gpu.exec.HostKernels;
import io.trims.gpu.exec.Kernels;
import io.trims.gpu.exec.UnaryOp;
import io.trims.protocol.tensor.DataType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every operator of the Kernels seam through {@link CudaKernels} against {@link HostKernels}, the reference, on
 * random inputs: broadcasting, odd sizes that are no multiple of a block or tile, every type each operator takes.
 * Run on a GPU ({@link CudaKernelsOnDeviceTest}) and through the kernel interpreter ({@link CudaKernelsEmulatedTest}).
 */
abstract class CudaKernelsAgreement {

    private static final float TOLERANCE = 2e-5f;
    private final HostKernels host = new HostKernels();
    private final Random random = new Random(11);
    private CudaKernels cuda;

    /** The kernels under test, made once per test. */
    protected abstract CudaKernels openKernels();

    @BeforeEach
    void openCuda() {
        cuda = openKernels();
    }

    @Test
    void binaryFloatOperatorsWithBroadcasting() {
        long[][][] cases = {
                {{2, 3, 5}, {2, 3, 5}}, {{2, 1, 5}, {3, 1}}, {{7, 129}, {129}}, {{1}, {4, 33}}, {{3, 1, 4, 1}, {1, 5, 1, 6}}};
        for (long[][] c : cases) {
            float[] a = floats(count(c[0]), 1f);
            float[] b = floats(count(c[1]), 1f);
            for (int i = 0; i < b.length; i++) {
                b[i] = b[i] == 0 ? 0.5f : b[i];
            }
            for (BinaryOp op : BinaryOp.values()) {
                float[] pa = op == BinaryOp.POW ? abs(a) : a;
                if (op == BinaryOp.EQUAL) {
                    float[] eqB = b.clone();
                    eqB[0] = pa[0];
                    assertArrayEquals(binaryBools(host, pa, c[0], eqB, c[1]), binaryBools(cuda, pa, c[0], eqB, c[1]));
                } else {
                    assertArrayEquals(binaryFloats(host, op, pa, c[0], b, c[1]), binaryFloats(cuda, op, pa, c[0], b, c[1]),
                            TOLERANCE, op + " " + java.util.Arrays.deepToString(c));
                }
            }
        }
    }

    @Test
    void binaryIntegerOperators() {
        long[] as = {3, 4};
        long[] bs = {4};
        long[] a = {-7, 7, 9, 4, 100, -100, 3, 0, 5, 6, -1, 2};
        long[] b = {2, -2, 3, 4};
        for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
            assertArrayEquals(binaryLongs(host, op, a, as, b, bs), binaryLongs(cuda, op, a, as, b, bs), op.name());
        }
    }

    @Test
    void whereUnaryAndCasts() {
        long[] out = {3, 5};
        boolean[] cond = {true, false, true, true, false};
        float[] x = floats(15, 1f);
        float[] y = {42f};
        assertArrayEquals(where(host, cond, x, y, out), where(cuda, cond, x, y, out));
        float[] v = floats(1001, 6f);
        for (UnaryOp op : UnaryOp.values()) {
            float[] in = op == UnaryOp.SQRT ? abs(v) : v;
            assertArrayEquals(unary(host, op, in), unary(cuda, op, in), TOLERANCE * 4, op.name());
        }
        float[] f = {-1.7f, 2.9f, 0f, 1e6f, -3f};
        for (DataType to : new DataType[] {DataType.INT64, DataType.INT32, DataType.BOOL, DataType.FP32}) {
            assertEquals(castFrom(host, f, to), castFrom(cuda, f, to), "FP32 -> " + to);
        }
    }

    @Test
    void rowKernelsAtOddWidths() {
        for (int cols : new int[] {1, 31, 128, 300, 384, 1000}) {
            int rows = 7;
            float[] x = floats(rows * cols, 3f);
            float[] g = floats(cols, 1f);
            float[] b = floats(cols, 1f);
            assertArrayEquals(rowOp(host, 0, x, g, b, rows, cols), rowOp(cuda, 0, x, g, b, rows, cols), TOLERANCE,
                    "reduceMean " + cols);
            assertArrayEquals(rowOp(host, 1, x, g, b, rows, cols), rowOp(cuda, 1, x, g, b, rows, cols), TOLERANCE,
                    "softmax " + cols);
            assertArrayEquals(rowOp(host, 2, x, g, b, rows, cols), rowOp(cuda, 2, x, g, b, rows, cols), 1e-4f,
                    "layerNorm " + cols);
            assertArrayEquals(rowOp(host, 3, x, g, null, rows, cols), rowOp(cuda, 3, x, g, null, rows, cols), 1e-4f,
                    "layerNorm without bias " + cols);
        }
        float[] x = floats(2 * 5 * 3, 2f);
        assertArrayEquals(softmaxMiddle(host, x), softmaxMiddle(cuda, x), TOLERANCE);
    }

    @Test
    void matrixProducts() {
        long[] batch = {2, 3};
        int m = 65, n = 33, k = 47;
        float[] a = floats(6 * m * k, 1f);
        float[] b = floats(3 * k * n, 1f);
        long[] as = {3L * m * k, (long) m * k};
        long[] bs = {0, (long) k * n};
        assertArrayEquals(matMul(host, a, b, m, n, k, batch, as, bs), matMul(cuda, a, b, m, n, k, batch, as, bs), 1e-4f);
        float[] c = floats(n, 1f);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            assertArrayEquals(gemm(host, a, b, c, m, n, k, ta, tb), gemm(cuda, a, b, c, m, n, k, ta, tb), 1e-4f,
                    "gemm ta=" + ta + " tb=" + tb);
        }
        int big = 200;
        float[] sa = floats(big * 256, 1f);
        float[] sb = floats(256 * 150, 1f);
        assertArrayEquals(gemm(host, sa, sb, null, big, 150, 256, false, false),
                gemm(cuda, sa, sb, null, big, 150, 256, false, false), 1e-4f, "large-tile gemm");
    }

    @Test
    void dataMovement() {
        float[] table = floats(11 * 7, 1f);
        long[] idx = {3, -1, 0, 10, 3};
        assertArrayEquals(gather(host, table, idx), gather(cuda, table, idx));
        long[] shape = {2, 3, 4, 5};
        float[] x = floats(120, 1f);
        int[] perm = {0, 2, 1, 3};
        assertArrayEquals(transpose(host, x, shape, perm), transpose(cuda, x, shape, perm));
        int[] perm2 = {3, 1, 0, 2};
        assertArrayEquals(transpose(host, x, shape, perm2), transpose(cuda, x, shape, perm2));
        long[] starts = {1, 0, 3, 0};
        long[] steps = {1, 2, -1, 2};
        long[] outShape = {1, 2, 3, 3};
        assertArrayEquals(slice(host, x, shape, starts, steps, outShape), slice(cuda, x, shape, starts, steps, outShape));
        float[] column = floats(3, 1f);
        assertArrayEquals(expand(host, column), expand(cuda, column));
        assertArrayEquals(copyRows(host, x), copyRows(cuda, x));
        long[] longs = {5, -6, 7, 8, 9, 10};
        assertArrayEquals(transposeLongs(host, longs), transposeLongs(cuda, longs));
    }

    // ---- one generic runner per operator, called with the reference and with the device ----

    private static <B> float[] binaryFloats(Kernels<B> k, BinaryOp op, float[] a, long[] as, float[] b, long[] bs) {
        long[] out = StridePacking.broadcastShape(as, bs);
        B da = up(k, a), db = up(k, b), dy = k.allocate(4L * count(out));
        k.binary(op, DataType.FP32, da, strides(as, out), db, strides(bs, out), dy, out);
        return k.downloadFloats(dy, count(out));
    }

    private static <B> boolean[] binaryBools(Kernels<B> k, float[] a, long[] as, float[] b, long[] bs) {
        long[] out = StridePacking.broadcastShape(as, bs);
        B da = up(k, a), db = up(k, b), dy = k.allocate(count(out));
        k.binary(BinaryOp.EQUAL, DataType.FP32, da, strides(as, out), db, strides(bs, out), dy, out);
        return k.downloadBools(dy, count(out));
    }

    private static <B> long[] binaryLongs(Kernels<B> k, BinaryOp op, long[] a, long[] as, long[] b, long[] bs) {
        long[] out = StridePacking.broadcastShape(as, bs);
        B da = k.allocate(8L * a.length), db = k.allocate(8L * b.length), dy = k.allocate(8L * count(out));
        k.uploadLongs(da, a);
        k.uploadLongs(db, b);
        k.binary(op, DataType.INT64, da, strides(as, out), db, strides(bs, out), dy, out);
        return k.downloadLongs(dy, count(out));
    }

    private static <B> float[] where(Kernels<B> k, boolean[] cond, float[] x, float[] y, long[] out) {
        B dc = k.allocate(cond.length), dx = up(k, x), dy = up(k, y), dz = k.allocate(4L * count(out));
        k.uploadBools(dc, cond);
        k.where(DataType.FP32, dc, strides(new long[] {cond.length}, out), dx, strides(out, out), dy,
                strides(new long[] {1}, out), dz, out);
        return k.downloadFloats(dz, count(out));
    }

    private static <B> float[] unary(Kernels<B> k, UnaryOp op, float[] x) {
        B dx = up(k, x), dy = k.allocate(4L * x.length);
        k.unary(op, dx, dy, x.length);
        return k.downloadFloats(dy, x.length);
    }

    private static <B> String castFrom(Kernels<B> k, float[] f, DataType to) {
        B dx = up(k, f), dy = k.allocate(8L * f.length), back = k.allocate(4L * f.length);
        k.cast(DataType.FP32, to, dx, dy, f.length);
        k.cast(to, DataType.FP32, dy, back, f.length);
        String there = switch (to) {
            case INT64 -> java.util.Arrays.toString(k.downloadLongs(dy, f.length));
            case INT32 -> java.util.Arrays.toString(k.downloadInts(dy, f.length));
            case BOOL -> java.util.Arrays.toString(k.downloadBools(dy, f.length));
            default -> java.util.Arrays.toString(k.downloadFloats(dy, f.length));
        };
        return there + " back " + java.util.Arrays.toString(k.downloadFloats(back, f.length));
    }

    private static <B> float[] rowOp(Kernels<B> k, int which, float[] x, float[] g, float[] b, int rows, int cols) {
        B dx = up(k, x), dy = k.allocate(4L * x.length);
        switch (which) {
            case 0 -> k.reduceMean(dx, dy, rows, cols);
            case 1 -> k.softmax(dx, dy, rows, cols, 1);
            default -> k.layerNorm(dx, up(k, g), b == null ? null : up(k, b), dy, rows, cols, 1e-12f);
        }
        return k.downloadFloats(dy, which == 0 ? rows : x.length);
    }

    private static <B> float[] softmaxMiddle(Kernels<B> k, float[] x) {
        B dx = up(k, x), dy = k.allocate(4L * x.length);
        k.softmax(dx, dy, 2, 5, 3);
        return k.downloadFloats(dy, x.length);
    }

    private static <B> float[] matMul(Kernels<B> k, float[] a, float[] b, int m, int n, int kk, long[] batch,
                                      long[] as, long[] bs) {
        int out = (int) (count(batch) * m * n);
        B da = up(k, a), db = up(k, b), dy = k.allocate(4L * out);
        k.matMul(da, db, dy, m, n, kk, batch, as, bs);
        return k.downloadFloats(dy, out);
    }

    private static <B> float[] gemm(Kernels<B> k, float[] a, float[] b, float[] c, int m, int n, int kk, boolean ta,
                                    boolean tb) {
        B da = up(k, a), db = up(k, b), dc = c == null ? null : up(k, c), dy = k.allocate(4L * m * n);
        k.gemm(da, db, dc, 0, 1, dy, m, n, kk, ta, tb, 0.75f, 1.5f);
        return k.downloadFloats(dy, m * n);
    }

    private static <B> float[] gather(Kernels<B> k, float[] table, long[] idx) {
        B dt = up(k, table), di = k.allocate(8L * idx.length), dy = k.allocate(4L * idx.length * 7);
        k.uploadLongs(di, idx);
        k.gather(DataType.FP32, dt, di, dy, 1, 11, 7, idx.length);
        return k.downloadFloats(dy, idx.length * 7);
    }

    private static <B> float[] transpose(Kernels<B> k, float[] x, long[] shape, int[] perm) {
        B dx = up(k, x), dy = k.allocate(4L * x.length);
        k.transpose(DataType.FP32, dx, shape, perm, dy);
        return k.downloadFloats(dy, x.length);
    }

    private static <B> long[] transposeLongs(Kernels<B> k, long[] x) {
        B dx = k.allocate(8L * x.length), dy = k.allocate(8L * x.length);
        k.uploadLongs(dx, x);
        k.transpose(DataType.INT64, dx, new long[] {2, 3}, new int[] {1, 0}, dy);
        return k.downloadLongs(dy, x.length);
    }

    private static <B> float[] slice(Kernels<B> k, float[] x, long[] shape, long[] starts, long[] steps, long[] out) {
        B dx = up(k, x), dy = k.allocate(4L * count(out));
        k.slice(DataType.FP32, dx, shape, starts, steps, dy, out);
        return k.downloadFloats(dy, count(out));
    }

    private static <B> float[] expand(Kernels<B> k, float[] x) {
        long[] out = {2, 3, 4};
        B dx = up(k, x), dy = k.allocate(4L * 24);
        k.expand(DataType.FP32, dx, strides(new long[] {3, 1}, out), dy, out);
        return k.downloadFloats(dy, 24);
    }

    /** Rows of 7 from a source of row stride 15 into a view 2 floats in, row stride 9; returns what was written. */
    private static <B> float[] copyRows(Kernels<B> k, float[] x) {
        B dx = up(k, x), dy = k.allocate(4L * 72);
        k.copyRows(DataType.FP32, dx, 15, k.view(dy, 4L * 2, 4L * 70), 9, 8, 7);
        float[] y = k.downloadFloats(dy, 72);
        float[] written = new float[8 * 7];
        for (int r = 0; r < 8; r++) {
            System.arraycopy(y, 2 + r * 9, written, r * 7, 7);
        }
        return written;
    }

    private static <B> B up(Kernels<B> k, float[] v) {
        B d = k.allocate(4L * v.length);
        k.uploadFloats(d, v);
        return d;
    }

    private static long[] strides(long[] in, long[] out) {
        int[] s = StridePacking.broadcastStrides(in, out);
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
    }

    private float[] floats(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextFloat() * 2 - 1) * scale;
        }
        return v;
    }

    private static float[] abs(float[] v) {
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return a;
    }

    private static int count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        assertEquals(n, (int) n);
        return (int) n;
    }
}
