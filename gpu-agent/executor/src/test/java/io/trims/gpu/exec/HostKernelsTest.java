package io.trims.gpu.exec;

import io.trims.protocol.tensor.DataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each reference kernel against values computed by hand. */
class HostKernelsTest {

    private final HostKernels k = new HostKernels();

    private HostBuffer f(float... values) {
        HostBuffer b = k.allocate(Math.max(1, values.length * 4L));
        k.uploadFloats(b, values);
        return b;
    }

    private HostBuffer l(long... values) {
        HostBuffer b = k.allocate(values.length * 8L);
        k.uploadLongs(b, values);
        return b;
    }

    private float[] get(HostBuffer b, int n) {
        return k.downloadFloats(b, n);
    }

    @AfterEach
    void close() {
        k.close();
    }

    @Test
    void binaryBroadcastsRowAndColumn() {
        HostBuffer col = f(1, 2);            // [2, 1]
        HostBuffer row = f(10, 20, 30);      // [3]
        HostBuffer out = k.allocate(6 * 4);
        long[] shape = {2, 3};
        k.binary(BinaryOp.ADD, DataType.FP32, col, new long[]{1, 0}, row, new long[]{0, 1}, out, shape);
        assertArrayEquals(new float[]{11, 21, 31, 12, 22, 32}, get(out, 6));
        k.binary(BinaryOp.SUB, DataType.FP32, col, new long[]{1, 0}, row, new long[]{0, 1}, out, shape);
        assertArrayEquals(new float[]{-9, -19, -29, -8, -18, -28}, get(out, 6));
        k.binary(BinaryOp.DIV, DataType.FP32, row, new long[]{0, 1}, col, new long[]{1, 0}, out, shape);
        assertArrayEquals(new float[]{10, 20, 30, 5, 10, 15}, get(out, 6));
        k.binary(BinaryOp.POW, DataType.FP32, row, new long[]{0, 1}, col, new long[]{1, 0}, out, shape);
        assertArrayEquals(new float[]{10, 20, 30, 100, 400, 900}, get(out, 6));
        HostBuffer eq = k.allocate(6);
        k.binary(BinaryOp.EQUAL, DataType.INT64, l(1, 2), new long[]{1, 0}, l(2, 2, 1), new long[]{0, 1}, eq, shape);
        assertArrayEquals(new boolean[]{false, false, true, true, true, false}, k.downloadBools(eq, 6));
        HostBuffer prod = k.allocate(6 * 8);
        k.binary(BinaryOp.MUL, DataType.INT64, l(1, 2), new long[]{1, 0}, l(-3, 4, 7), new long[]{0, 1}, prod, shape);
        assertArrayEquals(new long[]{-3, 4, 7, -6, 8, 14}, k.downloadLongs(prod, 6));
    }

    @Test
    void whereAndExpandAndCast() {
        HostBuffer cond = k.allocate(2);
        k.uploadBools(cond, new boolean[]{true, false});
        HostBuffer out = k.allocate(4 * 4);
        k.where(DataType.FP32, cond, new long[]{0, 1}, f(1, 2, 3, 4), new long[]{2, 1}, f(-1), new long[]{0, 0}, out, new long[]{2, 2});
        assertArrayEquals(new float[]{1, -1, 3, -1}, get(out, 4));
        k.expand(DataType.FP32, f(5, 6), new long[]{1, 0}, out, new long[]{2, 2});
        assertArrayEquals(new float[]{5, 5, 6, 6}, get(out, 4));
        HostBuffer longs = k.allocate(3 * 8);
        k.cast(DataType.FP32, DataType.INT64, f(2.9f, -2.9f, 0f), longs, 3);
        assertArrayEquals(new long[]{2, -2, 0}, k.downloadLongs(longs, 3));
        HostBuffer back = k.allocate(3 * 4);
        k.cast(DataType.INT64, DataType.FP32, longs, back, 3);
        assertArrayEquals(new float[]{2, -2, 0}, get(back, 3));
        HostBuffer bools = k.allocate(3);
        k.cast(DataType.INT64, DataType.BOOL, longs, bools, 3);
        assertArrayEquals(new boolean[]{true, true, false}, k.downloadBools(bools, 3));
        HostBuffer ints = k.allocate(3 * 4);
        k.cast(DataType.BOOL, DataType.INT32, bools, ints, 3);
        assertArrayEquals(new int[]{1, 1, 0}, k.downloadInts(ints, 3));
    }

    @Test
    void unaryFunctions() {
        HostBuffer out = k.allocate(3 * 4);
        HostBuffer x = f(-1, 0, 2);
        k.unary(UnaryOp.RELU, x, out, 3);
        assertArrayEquals(new float[]{0, 0, 2}, get(out, 3));
        k.unary(UnaryOp.ERF, x, out, 3);
        assertArrayEquals(new float[]{-0.8427008f, 0, 0.9953223f}, get(out, 3), 2e-7f);
        k.unary(UnaryOp.GELU, x, out, 3);
        assertArrayEquals(new float[]{-0.15865526f, 0, 1.9544997f}, get(out, 3), 1e-6f);
        k.unary(UnaryOp.GELU_TANH, x, out, 3);
        assertArrayEquals(new float[]{-0.15880801f, 0, 1.9545977f}, get(out, 3), 1e-6f);
        k.unary(UnaryOp.SIGMOID, x, out, 3);
        assertArrayEquals(new float[]{0.26894143f, 0.5f, 0.8807971f}, get(out, 3), 1e-7f);
        k.unary(UnaryOp.TANH, x, out, 3);
        assertArrayEquals(new float[]{-0.7615942f, 0, 0.9640276f}, get(out, 3), 1e-7f);
        k.unary(UnaryOp.NEG, x, out, 3);
        assertArrayEquals(new float[]{1, -0f, -2}, get(out, 3));
        k.unary(UnaryOp.EXP, x, out, 3);
        assertArrayEquals(new float[]{0.36787945f, 1, 7.389056f}, get(out, 3), 1e-6f);
        k.unary(UnaryOp.SQRT, f(4, 0, 2.25f), out, 3);
        assertArrayEquals(new float[]{2, 0, 1.5f}, get(out, 3));
    }

    @Test
    void reductionsAndNormalisation() {
        HostBuffer x = f(1, 2, 3, 4, 5, 6);   // [2, 3]
        HostBuffer out = k.allocate(6 * 4);
        k.reduceMean(x, out, 2, 3);
        assertArrayEquals(new float[]{2, 5}, get(out, 2));
        k.softmax(f(0, (float) Math.log(3)), out, 1, 2, 1);
        assertArrayEquals(new float[]{0.25f, 0.75f}, get(out, 2), 1e-7f);
        // softmax along axis 0 of [2, 2]: columns normalise
        k.softmax(f(0, 1, 0, 1), out, 1, 2, 2);
        assertArrayEquals(new float[]{0.5f, 0.5f, 0.5f, 0.5f}, get(out, 4), 1e-7f);
        k.layerNorm(f(1, 3, 10, 14), f(2, 1), f(0.5f, -1), out, 2, 2, 0f);
        assertArrayEquals(new float[]{-1.5f, 0f, -1.5f, 0f}, get(out, 4), 1e-6f);
        k.layerNorm(f(1, 3), f(1, 1), null, out, 1, 2, 1f);
        float inv = (float) (1 / Math.sqrt(2));
        assertArrayEquals(new float[]{-inv, inv}, get(out, 2), 1e-6f);
    }

    @Test
    void matMulBroadcastsBatchAndGemmTransposes() {
        HostBuffer a = f(1, 2, 3, 4, 5, 6, 7, 8);   // two [2, 2] matrices
        HostBuffer b = f(1, 0, 0, 2);                // one [2, 2] matrix, broadcast
        HostBuffer out = k.allocate(8 * 4);
        k.matMul(a, b, out, 2, 2, 2, new long[]{2}, new long[]{4}, new long[]{0});
        assertArrayEquals(new float[]{1, 4, 3, 8, 5, 12, 7, 16}, get(out, 8));
        // [2, 1] x [1, 3] over a [2, 1] batch x [1, 2] batch -> batch [2, 2]
        HostBuffer col = f(1, 2, 3, 4);              // batch [2], each [2, 1]
        HostBuffer row = f(1, 1, 1, 10, 10, 10);     // batch [2], each [1, 3]
        HostBuffer out2 = k.allocate(4 * 6 * 4);
        k.matMul(col, row, out2, 2, 3, 1, new long[]{2, 2}, new long[]{2, 0}, new long[]{0, 3});
        assertArrayEquals(new float[]{1, 1, 1, 2, 2, 2, 10, 10, 10, 20, 20, 20, 3, 3, 3, 4, 4, 4, 30, 30, 30, 40, 40, 40},
                get(out2, 24));
        HostBuffer at = f(1, 3, 2, 4);               // A = [[1, 2], [3, 4]] stored transposed
        HostBuffer bt = f(1, 0, 1, 1);               // B = [[1, 1], [0, 1]] stored transposed
        k.gemm(at, bt, f(10, 20), 0, 1, out, 2, 2, 2, true, true, 2f, 0.5f);
        assertArrayEquals(new float[]{2 + 5, 6 + 10, 6 + 5, 14 + 10}, get(out, 4));
        k.gemm(f(1, 2, 3, 4), f(1, 1, 0, 1), null, 0, 0, out, 2, 2, 2, false, false, 1f, 1f);
        assertArrayEquals(new float[]{1, 3, 3, 7}, get(out, 4));
    }

    @Test
    void dataMovement() {
        HostBuffer table = f(0, 1, 10, 11, 20, 21);   // [3, 2]
        HostBuffer out = k.allocate(6 * 4);
        k.gather(DataType.FP32, table, l(2, -3, 1), out, 1, 3, 2, 3);
        assertArrayEquals(new float[]{20, 21, 0, 1, 10, 11}, get(out, 6));
        k.gather(DataType.FP32, table, l(1), out, 3, 2, 1, 1);   // axis 1
        assertArrayEquals(new float[]{1, 11, 21}, get(out, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> k.gather(DataType.FP32, table, l(3), out, 1, 3, 2, 1));
        k.transpose(DataType.FP32, table, new long[]{3, 2}, new int[]{1, 0}, out);
        assertArrayEquals(new float[]{0, 10, 20, 1, 11, 21}, get(out, 6));
        HostBuffer cat = k.allocate(6 * 4);
        k.copyRows(DataType.FP32, f(1, 2), 1, cat, 3, 2, 1);
        k.copyRows(DataType.FP32, f(3, 4, 5, 6), 2, k.view(cat, 4, 20), 3, 2, 2);
        assertArrayEquals(new float[]{1, 3, 4, 2, 5, 6}, get(cat, 6));
        k.slice(DataType.FP32, table, new long[]{3, 2}, new long[]{2, 1}, new long[]{-2, -1}, out, new long[]{2, 2});
        assertArrayEquals(new float[]{21, 20, 1, 0}, get(out, 4));
        HostBuffer copy = k.allocate(8);
        k.copy(l(42), copy, 8);
        assertArrayEquals(new long[]{42}, k.downloadLongs(copy, 1));
    }

    @Test
    void allocationsAreCountedExactly() {
        HostBuffer a = k.allocate(1000);
        HostBuffer view = k.view(a, 256, 100);
        assertEquals(1000, k.allocatedBytes());
        assertEquals(100, view.size());
        k.free(a);
        assertEquals(0, k.allocatedBytes());
    }
}
