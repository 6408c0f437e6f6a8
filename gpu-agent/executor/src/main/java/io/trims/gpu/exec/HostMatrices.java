package io.trims.gpu.exec;

/** Dense FP32 matrix product for the host reference, accumulating in float like a device kernel. */
final class HostMatrices {

    private HostMatrices() {
    }

    /** op(a)[m, k] x op(b)[k, n]; a is stored [k, m] when transA, b is stored [n, k] when transB. */
    static float[] multiply(float[] a, float[] b, int m, int n, int k, boolean transA, boolean transB) {
        float[] bn = transB ? transpose(b, n, k) : b;
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            int row = i * n;
            for (int p = 0; p < k; p++) {
                float av = transA ? a[p * m + i] : a[i * k + p];
                int brow = p * n;
                for (int j = 0; j < n; j++) {
                    out[row + j] += av * bn[brow + j];
                }
            }
        }
        return out;
    }

    /** A [rows, cols] matrix transposed to [cols, rows]. */
    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = x[r * cols + c];
            }
        }
        return t;
    }
}
