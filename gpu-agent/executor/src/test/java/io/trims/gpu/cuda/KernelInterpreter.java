package io.trims.gpu.cuda;

import io.trims.gpu.exec.HostMath;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * trims' CUDA kernels re-stated in Java, reading their arguments exactly as the .cu signatures declare them (the
 * kernel bodies themselves are checked on the host by src/test/cuda/emulate_kernels.cpp). Also asserts what a real
 * launch needs: row kernels get a block per row and warp-multiple blocks, GEMM grids cover every tile.
 */
final class KernelInterpreter {

    private final EmulatedDevice device;

    KernelInterpreter(EmulatedDevice device) {
        this.device = device;
    }

    void upload(Object array, DeviceBuffer dst) {
        int width = HostArrays.elementBytes(array);
        int n = HostArrays.length(array);
        assertTrue((long) n * width <= dst.bytes(), "upload larger than its buffer");
        ByteBuffer b = device.bytesOf(dst).duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.position(Math.toIntExact(dst.offset()));
        HostArrays.put(b.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN), array, 0, n);
    }

    void download(DeviceBuffer src, Object array) {
        int n = HostArrays.length(array);
        for (int i = 0; i < n; i++) {
            if (array instanceof float[] a) {
                a[i] = f(src, i);
            } else if (array instanceof long[] a) {
                a[i] = l(src, i);
            } else if (array instanceof int[] a) {
                a[i] = in(src, i);
            } else if (array instanceof boolean[] a) {
                a[i] = u8(src, i) != 0;
            } else {
                ((byte[]) array)[i] = (byte) u8(src, i);
            }
        }
    }

    void copy(DeviceBuffer src, DeviceBuffer dst, long bytes) {
        for (int i = 0; i < bytes; i++) {
            setU8(dst, i, u8(src, i));
        }
    }

    void run(CudaKernel k, LaunchGeometry.Grid g, Object[] a) {
        String e = k.entry();
        if (e.startsWith("cast_")) {
            cast(e, a);
        } else if (e.startsWith("where_")) {
            where(e.endsWith("i64"), a);
        } else if (e.startsWith("strided_copy_") || e.startsWith("gather_") || e.equals("fill_b32")) {
            movement(e, a);
        } else if (e.startsWith("sgemm")) {
            gemm(e.equals("sgemm128_f32") ? 128 : 64, g, a);
        } else if (e.endsWith("_last_f32") || e.equals("softmax_f32")) {
            rows(e, g, a);
        } else if (a.length == 5) {
            binary(e, a);
        } else {
            unary(e, a);
        }
    }

    private void binary(String e, Object[] a) {
        DeviceBuffer x = buf(a[0]), y = buf(a[1]), out = buf(a[2]);
        int n = (Integer) a[3];
        int[] s = (int[]) a[4];
        String op = e.substring(0, e.indexOf('_'));
        for (int i = 0; i < n; i++) {
            int ia = KernelIndexEmulator.offset(s, 0, i), ib = KernelIndexEmulator.offset(s, 1, i);
            if (e.endsWith("_i64")) {
                long p = l(x, ia), q = l(y, ib);
                switch (op) {
                    case "add" -> setL(out, i, p + q);
                    case "sub" -> setL(out, i, p - q);
                    case "mul" -> setL(out, i, p * q);
                    case "div" -> setL(out, i, q == 0 ? 0 : p / q);
                    default -> setU8(out, i, p == q ? 1 : 0);
                }
            } else {
                float p = f(x, ia), q = f(y, ib);
                switch (op) {
                    case "add" -> setF(out, i, p + q);
                    case "sub" -> setF(out, i, p - q);
                    case "mul" -> setF(out, i, p * q);
                    case "div" -> setF(out, i, p / q);
                    case "pow" -> setF(out, i, q == 2f ? p * p : (float) Math.pow(p, q));
                    default -> setU8(out, i, p == q ? 1 : 0);
                }
            }
        }
    }

    private void where(boolean longs, Object[] a) {
        DeviceBuffer c = buf(a[0]), x = buf(a[1]), z = buf(a[2]), y = buf(a[3]);
        int n = (Integer) a[4];
        int[] s = (int[]) a[5];
        for (int i = 0; i < n; i++) {
            boolean take = u8(c, KernelIndexEmulator.offset(s, 0, i)) != 0;
            int at = KernelIndexEmulator.offset(s, take ? 1 : 2, i);
            DeviceBuffer from = take ? x : z;
            if (longs) {
                setL(y, i, l(from, at));
            } else {
                setF(y, i, f(from, at));
            }
        }
    }

    private void unary(String e, Object[] a) {
        DeviceBuffer x = buf(a[0]), y = buf(a[1]);
        int n = (Integer) a[2];
        for (int i = 0; i < n; i++) {
            double v = f(x, i);
            double r = switch (e) {
                case "sqrt_f32" -> Math.sqrt(v);
                case "erf_f32" -> HostMath.erf(v);
                case "relu_f32" -> Math.max(v, 0);
                case "sigmoid_f32" -> 1 / (1 + Math.exp(-v));
                case "tanh_f32" -> Math.tanh(v);
                case "neg_f32" -> -v;
                case "exp_f32" -> Math.exp(v);
                case "gelu_f32" -> 0.5 * v * (1 + HostMath.erf(v * 0.70710678118654752));
                case "gelu_tanh_f32" -> 0.5 * v * (1 + Math.tanh(0.79788456080286536 * (v + 0.044715 * v * v * v)));
                default -> throw new IllegalArgumentException("no interpretation of " + e);
            };
            setF(y, i, (float) r);
        }
    }

    private void cast(String e, Object[] a) {
        DeviceBuffer x = buf(a[0]), y = buf(a[1]);
        int n = (Integer) a[2];
        String[] p = e.split("_");
        for (int i = 0; i < n; i++) {
            double v = switch (p[1]) {
                case "f32" -> f(x, i);
                case "i64" -> l(x, i);
                case "i32" -> in(x, i);
                default -> u8(x, i);
            };
            switch (p[2]) {
                case "f32" -> setF(y, i, p[1].equals("i64") ? (float) l(x, i) : (float) v);
                case "i64" -> setL(y, i, p[1].equals("i64") ? l(x, i) : (long) v);
                case "i32" -> setI(y, i, p[1].equals("i64") ? (int) l(x, i) : (int) v);
                default -> setU8(y, i, v != 0 ? 1 : 0);
            }
        }
    }

    private void rows(String e, LaunchGeometry.Grid g, Object[] a) {
        assertTrue(g.block() % 32 == 0 && g.block() <= 1024, e + " block " + g.block());
        DeviceBuffer x = buf(a[0]);
        if (e.equals("layernorm_last_f32")) {
            DeviceBuffer gamma = buf(a[1]), beta = buf(a[2]), y = buf(a[3]);
            int rows = (Integer) a[4], cols = (Integer) a[5];
            float eps = (Float) a[6];
            assertTrue(g.x() >= rows, "a block per row");
            for (int r = 0; r < rows; r++) {
                double mean = 0, q = 0;
                for (int j = 0; j < cols; j++) {
                    mean += f(x, r * cols + j);
                }
                mean /= cols;
                for (int j = 0; j < cols; j++) {
                    double c = f(x, r * cols + j) - mean;
                    q += c * c;
                }
                double inv = 1 / Math.sqrt(q / cols + eps);
                for (int j = 0; j < cols; j++) {
                    double v = (f(x, r * cols + j) - mean) * inv * f(gamma, j);
                    setF(y, r * cols + j, (float) (beta == null ? v : v + f(beta, j)));
                }
            }
            return;
        }
        DeviceBuffer y = buf(a[1]);
        int rows = (Integer) a[2], cols = (Integer) a[3];
        int inner = e.equals("softmax_f32") ? (Integer) a[4] : 1;
        assertTrue(g.x() >= rows, "a block per row");
        for (int r = 0; r < rows; r++) {
            int base = (r / inner) * cols * inner + r % inner;
            if (e.startsWith("reduce_mean")) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += f(x, r * cols + j);
                }
                setF(y, r, (float) (s / cols));
                continue;
            }
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, f(x, base + j * inner));
            }
            for (int j = 0; j < cols; j++) {
                s += Math.exp(f(x, base + j * inner) - m);
            }
            for (int j = 0; j < cols; j++) {
                setF(y, base + j * inner, (float) (Math.exp(f(x, base + j * inner) - m) / s));
            }
        }
    }

    private void gemm(int tile, LaunchGeometry.Grid grid, Object[] a) {
        DeviceBuffer A = buf(a[0]), B = buf(a[1]), bias = buf(a[2]), C = buf(a[3]);
        float alpha = (Float) a[4], beta = (Float) a[5];
        int[] g = (int[]) a[6];
        int m = g[0], n = g[1], k = g[2], lda = g[3], ldb = g[4], ldc = g[5], inner = g[8];
        boolean ta = g[6] != 0, tb = g[7] != 0;
        assertTrue((long) grid.x() * tile >= n && (long) grid.y() * tile >= m, "the grid covers C");
        assertTrue(grid.block() == GemmShape.THREADS, "GEMM blocks have 256 threads");
        for (int z = 0; z < grid.z(); z++) {
            int z1 = z / inner, z2 = z % inner;
            long ao = (long) z1 * g[9] + (long) z2 * g[10], bo = (long) z1 * g[11] + (long) z2 * g[12];
            long co = (long) z1 * g[13] + (long) z2 * g[14], biasO = (long) z1 * g[15] + (long) z2 * g[16];
            java.nio.ByteBuffer ab = device.bytesOf(A), bb = device.bytesOf(B);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) ab.getFloat(at(A, ao + (ta ? (long) p * lda + i : (long) i * lda + p), 4))
                                * bb.getFloat(at(B, bo + (tb ? (long) j * ldb + p : (long) p * ldb + j), 4));
                    }
                    double v = alpha * s;
                    if (bias != null) {
                        v += beta * f(bias, biasO + (long) i * g[17] + (long) j * g[18]);
                    }
                    setF(C, co + (long) i * ldc + j, (float) v);
                }
            }
        }
    }

    private void movement(String e, Object[] a) {
        int width = e.endsWith("b8") ? 1 : e.endsWith("b32") ? 4 : 8;
        if (e.equals("fill_b32")) {
            for (int i = 0; i < (Integer) a[2]; i++) {
                setI(buf(a[0]), i, (Integer) a[1]);
            }
        } else if (e.startsWith("strided_copy_")) {
            DeviceBuffer x = buf(a[0]), y = buf(a[1]);
            int ox = (Integer) a[2], oy = (Integer) a[3], n = (Integer) a[4];
            int[] s = (int[]) a[5];
            for (int i = 0; i < n; i++) {
                moveElement(x, ox + KernelIndexEmulator.offset(s, 0, i), y, oy + KernelIndexEmulator.offset(s, 1, i),
                        width);
            }
        } else {
            DeviceBuffer x = buf(a[0]), idx = buf(a[1]), y = buf(a[2]);
            int outer = (Integer) a[3], axisLen = (Integer) a[4], k = (Integer) a[5], inner = (Integer) a[6];
            for (int i = 0; i < outer * k * inner; i++) {
                int j = i % inner, r = i / inner, q = r % k, o = r / k;
                long at = l(idx, q);
                at = at < 0 ? at + axisLen : at;
                assertTrue(at >= 0 && at < axisLen, "gather index in range");
                moveElement(x, (int) ((o * (long) axisLen + at) * inner + j), y, i, width);
            }
        }
    }

    private void moveElement(DeviceBuffer x, long xi, DeviceBuffer y, long yi, int width) {
        for (int b = 0; b < width; b++) {
            setU8(y, yi * width + b, u8(x, xi * width + b));
        }
    }

    private static DeviceBuffer buf(Object o) {
        return (DeviceBuffer) o;
    }

    private int at(DeviceBuffer b, long index, int width) {
        long byteAt = index * width;
        if (byteAt < 0 || byteAt + width > b.bytes()) {
            throw new AssertionError("access at element " + index + " outside a buffer of " + b.bytes() + " bytes");
        }
        return (int) (b.offset() + byteAt);
    }

    private float f(DeviceBuffer b, long i) {
        return device.bytesOf(b).getFloat(at(b, i, 4));
    }

    private long l(DeviceBuffer b, long i) {
        return device.bytesOf(b).getLong(at(b, i, 8));
    }

    private int in(DeviceBuffer b, long i) {
        return device.bytesOf(b).getInt(at(b, i, 4));
    }

    private int u8(DeviceBuffer b, long i) {
        return device.bytesOf(b).get(at(b, i, 1)) & 0xff;
    }

    private void setF(DeviceBuffer b, long i, float v) {
        device.bytesOf(b).putFloat(at(b, i, 4), v);
    }

    private void setL(DeviceBuffer b, long i, long v) {
        device.bytesOf(b).putLong(at(b, i, 8), v);
    }

    private void setI(DeviceBuffer b, long i, int v) {
        device.bytesOf(b).putInt(at(b, i, 4), v);
    }

    private void setU8(DeviceBuffer b, long i, int v) {
        device.bytesOf(b).put(at(b, i, 1), (byte) v);
    }
}
