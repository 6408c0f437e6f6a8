package io.trims.gpu.cuda;

/** The index arithmetic of trims.cuh, in Java, reading the packed structs exactly as a kernel does. */
final class KernelIndexEmulator {

    private KernelIndexEmulator() {
    }

    /** trims_offset(linear, rank, shape, strides of {@code operand}) over a packed Strided1/2/3. */
    static int offset(int[] packed, int operand, int linear) {
        int rank = packed[0];
        int offset = 0;
        for (int d = rank - 1; d >= 0; d--) {
            int extent = packed[1 + d];
            offset += (linear % extent) * packed[1 + StridePacking.MAX_RANK * (1 + operand) + d];
            linear /= extent;
        }
        return offset;
    }

    /** strided_copy over every element of a packed copy layout. */
    static float[] copy(float[] x, StridePacking.CopyLayout c, float[] y) {
        int[] packed = c.layout().pack();
        int n = c.layout().elements();
        for (int i = 0; i < n; i++) {
            y[c.offsetY() + offset(packed, 1, i)] = x[c.offsetX() + offset(packed, 0, i)];
        }
        return y;
    }

    /** sgemm_f32's result, computed naively through the packed GemmShape fields. */
    static float[] gemm(float[] a, float[] b, float[] bias, float[] c, float alpha, float beta, int[] g, int batch) {
        int m = g[0], n = g[1], k = g[2], lda = g[3], ldb = g[4], ldc = g[5];
        boolean ta = g[6] != 0, tb = g[7] != 0;
        int inner = g[8];
        for (int z = 0; z < batch; z++) {
            int z1 = z / inner, z2 = z % inner;
            int ao = z1 * g[9] + z2 * g[10], bo = z1 * g[11] + z2 * g[12], co = z1 * g[13] + z2 * g[14];
            int biasO = z1 * g[15] + z2 * g[16];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int p = 0; p < k; p++) {
                        float av = ta ? a[ao + p * lda + i] : a[ao + i * lda + p];
                        float bv = tb ? b[bo + j * ldb + p] : b[bo + p * ldb + j];
                        s += av * bv;
                    }
                    float v = alpha * s;
                    if (bias != null) {
                        v += beta * bias[biasO + i * g[17] + j * g[18]];
                    }
                    c[co + i * ldc + j] = v;
                }
            }
        }
        return c;
    }
}
