package io.trims.gpu.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Layouts for the strided kernels, checked by running the kernels' own index arithmetic on the packed structs. */
class StridePackingTest {

    @Test
    void broadcastFollowsNumpyRules() {
        assertArrayEquals(new long[] {2, 3, 4}, StridePacking.broadcastShape(new long[] {2, 1, 4}, new long[] {3, 1}));
        assertArrayEquals(new int[] {0, 1, 0}, StridePacking.broadcastStrides(new long[] {3, 1}, new long[] {2, 3, 4}));
        assertThrows(IllegalArgumentException.class,
                () -> StridePacking.broadcastShape(new long[] {2, 3}, new long[] {4}));
    }

    @Test
    void aBiasAddCollapsesToRowsAndColumns() {
        long[] out = {32, 128, 384};
        StridePacking.Layout l = StridePacking.elementwise(out, out, new long[] {384}, out);
        assertArrayEquals(new int[] {4096, 384}, l.shape());
        assertArrayEquals(new int[] {384, 1}, l.strides()[0]);
        assertArrayEquals(new int[] {0, 1}, l.strides()[1]);
    }

    @Test
    void sameShapesCollapseToOneDimensionAndScalarsToNone() {
        long[] s = {2, 3, 5};
        assertArrayEquals(new int[] {30}, StridePacking.elementwise(s, s, s).shape());
        StridePacking.Layout scalar = StridePacking.elementwise(new long[] {1, 1}, new long[] {1}, new long[] {});
        assertEquals(0, scalar.shape().length);
        assertEquals(1, scalar.elements());
        assertEquals(0, KernelIndexEmulator.offset(scalar.pack(), 1, 0));
    }

    @Test
    void packedStructIsRankShapeThenStridesPerOperand() {
        StridePacking.Layout l = new StridePacking.Layout(new int[] {4, 5}, new int[][] {{5, 1}, {0, 1}});
        int[] p = l.pack();
        assertEquals(StridePacking.STRIDED2_INTS, p.length);
        assertArrayEquals(new int[] {2, 4, 5, 1, 1, 1, 1, 5, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, p);
        assertEquals(StridePacking.STRIDED3_INTS, new StridePacking.Layout(new int[] {3}, new int[][] {{1}, {1}, {1}})
                .pack().length);
        assertThrows(IllegalArgumentException.class, () -> new StridePacking.Layout(new int[] {2, 2, 2, 2, 2, 2, 2},
                new int[][] {{1, 0, 1, 0, 1, 0, 1}}).pack());
    }

    @Test
    void broadcastOperandsReadTheRightElements() {
        long[] a = {2, 1, 4};
        long[] b = {3, 1};
        long[] out = StridePacking.broadcastShape(a, b);
        int[] p = StridePacking.elementwise(out, a, b).pack();
        for (int i = 0; i < 24; i++) {
            int i0 = i / 12, i1 = i / 4 % 3, i2 = i % 4;
            assertEquals(i0 * 4 + i2, KernelIndexEmulator.offset(p, 0, i), "a at " + i);
            assertEquals(i1, KernelIndexEmulator.offset(p, 1, i), "b at " + i);
        }
    }

    @Test
    void transposeOfAttentionHeads() {
        long[] in = {2, 3, 4, 5};
        int[] perm = {0, 2, 1, 3};
        float[] x = iota(120);
        float[] y = KernelIndexEmulator.copy(x, StridePacking.transpose(in, perm), new float[120]);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 4; b++) {
                for (int c = 0; c < 3; c++) {
                    for (int d = 0; d < 5; d++) {
                        assertEquals(x[((a * 3 + c) * 4 + b) * 5 + d], y[((a * 4 + b) * 3 + c) * 5 + d]);
                    }
                }
            }
        }
    }

    @Test
    void sliceWithStepsIncludingNegative() {
        long[] in = {4, 6};
        // rows 3, 1 (start 3, step -2); columns 1, 3, 5 (start 1, step 2)
        float[] x = iota(24);
        float[] y = KernelIndexEmulator.copy(x, StridePacking.slice(in, new long[] {3, 1}, new long[] {-2, 2},
                new long[] {2, 3}), new float[6]);
        assertArrayEquals(new float[] {19, 21, 23, 7, 9, 11}, y);
    }

    @Test
    void expandRepeatsAlongBroadcastDimensions() {
        float[] y = KernelIndexEmulator.copy(new float[] {1, 2, 3},
                StridePacking.expand(new long[] {3, 1}, new long[] {2, 3, 2}), new float[12]);
        assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}, y);
    }

    @Test
    void concatPartsFillTheirSlabs() {
        long[] out = {2, 5};
        float[] y = new float[10];
        KernelIndexEmulator.copy(new float[] {1, 2, 3, 4}, StridePacking.concatPart(new long[] {2, 2}, out, 1, 0), y);
        KernelIndexEmulator.copy(new float[] {5, 6, 7, 8, 9, 10},
                StridePacking.concatPart(new long[] {2, 3}, out, 1, 2), y);
        assertArrayEquals(new float[] {1, 2, 5, 6, 7, 3, 4, 8, 9, 10}, y);
    }

    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }
}
