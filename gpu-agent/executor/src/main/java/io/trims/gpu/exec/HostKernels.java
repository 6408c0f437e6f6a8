package io.trims.gpu.exec;

import io.trims.gpu.graph.ElementTypes;
import io.trims.gpu.graph.Shapes;
import io.trims.protocol.tensor.DataType;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * The reference {@link Kernels}: plain Java loops over little-endian heap buffers. It defines what every device
 * implementation must compute, and runs whole models on the CPU in tests.
 */
public final class HostKernels implements Kernels<HostBuffer> {

    private long allocatedBytes;

    /** Bytes currently allocated (views not counted). */
    public synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    @Override
    public synchronized HostBuffer allocate(long bytes) {
        HostBuffer buffer = HostBuffer.allocate(bytes);
        allocatedBytes += bytes;
        return buffer;
    }

    @Override
    public synchronized void free(HostBuffer buffer) {
        allocatedBytes -= buffer.size();
    }

    @Override
    public HostBuffer view(HostBuffer buffer, long byteOffset, long bytes) {
        return buffer.view(byteOffset, bytes);
    }

    @Override
    public void uploadFloats(HostBuffer dst, float[] src) {
        dst.floats().put(src);
    }

    @Override
    public void uploadLongs(HostBuffer dst, long[] src) {
        dst.longs().put(src);
    }

    @Override
    public void uploadInts(HostBuffer dst, int[] src) {
        dst.bytes().asIntBuffer().put(src);
    }

    @Override
    public void uploadBools(HostBuffer dst, boolean[] src) {
        for (int i = 0; i < src.length; i++) {
            dst.bytes().put(i, (byte) (src[i] ? 1 : 0));
        }
    }

    @Override
    public float[] downloadFloats(HostBuffer src, int count) {
        return src.readFloats(0, count);
    }

    @Override
    public long[] downloadLongs(HostBuffer src, int count) {
        long[] out = new long[count];
        src.longs().get(out);
        return out;
    }

    @Override
    public int[] downloadInts(HostBuffer src, int count) {
        int[] out = new int[count];
        src.bytes().asIntBuffer().get(out);
        return out;
    }

    @Override
    public boolean[] downloadBools(HostBuffer src, int count) {
        boolean[] out = new boolean[count];
        for (int i = 0; i < count; i++) {
            out[i] = src.bytes().get(i) != 0;
        }
        return out;
    }

    @Override
    public void copy(HostBuffer src, HostBuffer dst, long bytes) {
        dst.bytes().put(0, src.bytes(), 0, (int) bytes);
    }

    @Override
    public void synchronize() {
    }

    @Override
    public void close() {
    }

    @Override
    public void binary(BinaryOp op, DataType type, HostBuffer a, long[] aStrides, HostBuffer b, long[] bStrides,
                       HostBuffer out, long[] outShape) {
        long n = Shapes.count(outShape);
        ByteBuffer o = out.bytes();
        if (type == DataType.FP32) {
            FloatBuffer fa = a.floats();
            FloatBuffer fb = b.floats();
            for (long i = 0; i < n; i++) {
                float r = HostMath.binary(op, fa.get((int) Shapes.offset(i, outShape, aStrides)),
                        fb.get((int) Shapes.offset(i, outShape, bStrides)));
                if (op == BinaryOp.EQUAL) {
                    o.put((int) i, (byte) r);
                } else {
                    o.putFloat((int) i * 4, r);
                }
            }
        } else {
            LongBuffer la = a.longs();
            LongBuffer lb = b.longs();
            for (long i = 0; i < n; i++) {
                long r = HostMath.binary(op, la.get((int) Shapes.offset(i, outShape, aStrides)),
                        lb.get((int) Shapes.offset(i, outShape, bStrides)));
                if (op == BinaryOp.EQUAL) {
                    o.put((int) i, (byte) r);
                } else {
                    o.putLong((int) i * 8, r);
                }
            }
        }
    }

    @Override
    public void where(DataType type, HostBuffer cond, long[] condStrides, HostBuffer x, long[] xStrides, HostBuffer y,
                      long[] yStrides, HostBuffer out, long[] outShape) {
        long n = Shapes.count(outShape);
        int eb = ElementTypes.bytes(type);
        for (long i = 0; i < n; i++) {
            boolean c = cond.bytes().get((int) Shapes.offset(i, outShape, condStrides)) != 0;
            HostBuffer src = c ? x : y;
            long at = Shapes.offset(i, outShape, c ? xStrides : yStrides);
            copyElement(src.bytes(), at, out.bytes(), i, eb);
        }
    }

    @Override
    public void unary(UnaryOp op, HostBuffer in, HostBuffer out, long count) {
        FloatBuffer fi = in.floats();
        FloatBuffer fo = out.floats();
        for (int i = 0; i < count; i++) {
            fo.put(i, HostMath.unary(op, fi.get(i)));
        }
    }

    @Override
    public void cast(DataType from, DataType to, HostBuffer in, HostBuffer out, long count) {
        ByteBuffer src = in.bytes();
        ByteBuffer dst = out.bytes();
        for (int i = 0; i < count; i++) {
            double v = switch (from) {
                case FP32 -> src.getFloat(i * 4);
                case INT64 -> src.getLong(i * 8);
                case INT32 -> src.getInt(i * 4);
                case BOOL -> src.get(i);
                default -> throw new IllegalArgumentException("cast from " + from);
            };
            switch (to) {
                case FP32 -> dst.putFloat(i * 4, (float) v);
                case INT64 -> dst.putLong(i * 8, (long) v);
                case INT32 -> dst.putInt(i * 4, (int) v);
                case BOOL -> dst.put(i, (byte) (v != 0 ? 1 : 0));
                default -> throw new IllegalArgumentException("cast to " + to);
            }
        }
    }

    @Override
    public void expand(DataType type, HostBuffer in, long[] inStrides, HostBuffer out, long[] outShape) {
        long n = Shapes.count(outShape);
        int eb = ElementTypes.bytes(type);
        for (long i = 0; i < n; i++) {
            copyElement(in.bytes(), Shapes.offset(i, outShape, inStrides), out.bytes(), i, eb);
        }
    }

    @Override
    public void reduceMean(HostBuffer in, HostBuffer out, long rows, long cols) {
        FloatBuffer fi = in.floats();
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += fi.get((int) (r * cols + c));
            }
            out.floats().put(r, (float) (sum / cols));
        }
    }

    @Override
    public void softmax(HostBuffer in, HostBuffer out, long outer, long axis, long inner) {
        FloatBuffer fi = in.floats();
        FloatBuffer fo = out.floats();
        for (long o = 0; o < outer; o++) {
            for (long j = 0; j < inner; j++) {
                long base = o * axis * inner + j;
                float max = Float.NEGATIVE_INFINITY;
                for (long a = 0; a < axis; a++) {
                    max = Math.max(max, fi.get((int) (base + a * inner)));
                }
                double sum = 0;
                for (long a = 0; a < axis; a++) {
                    sum += Math.exp(fi.get((int) (base + a * inner)) - max);
                }
                for (long a = 0; a < axis; a++) {
                    int at = (int) (base + a * inner);
                    fo.put(at, (float) (Math.exp(fi.get(at) - max) / sum));
                }
            }
        }
    }

    @Override
    public void layerNorm(HostBuffer in, HostBuffer scale, HostBuffer bias, HostBuffer out, long rows, long cols, float epsilon) {
        FloatBuffer fi = in.floats();
        FloatBuffer fo = out.floats();
        FloatBuffer s = scale.floats();
        FloatBuffer b = bias == null ? null : bias.floats();
        for (long r = 0; r < rows; r++) {
            double mean = 0;
            for (long c = 0; c < cols; c++) {
                mean += fi.get((int) (r * cols + c));
            }
            mean /= cols;
            double var = 0;
            for (long c = 0; c < cols; c++) {
                double d = fi.get((int) (r * cols + c)) - mean;
                var += d * d;
            }
            double inv = 1 / Math.sqrt(var / cols + epsilon);
            for (int c = 0; c < cols; c++) {
                int at = (int) (r * cols + c);
                double y = (fi.get(at) - mean) * inv * s.get(c) + (b == null ? 0 : b.get(c));
                fo.put(at, (float) y);
            }
        }
    }

    @Override
    public void matMul(HostBuffer a, HostBuffer b, HostBuffer out, long m, long n, long k, long[] batchShape,
                       long[] aBatchStrides, long[] bBatchStrides) {
        long batches = Shapes.count(batchShape);
        for (long bi = 0; bi < batches; bi++) {
            float[] am = a.readFloats(Shapes.offset(bi, batchShape, aBatchStrides), (int) (m * k));
            float[] bm = b.readFloats(Shapes.offset(bi, batchShape, bBatchStrides), (int) (k * n));
            out.writeFloats(bi * m * n, HostMatrices.multiply(am, bm, (int) m, (int) n, (int) k, false, false));
        }
    }

    @Override
    public void gemm(HostBuffer a, HostBuffer b, HostBuffer c, long cRowStride, long cColStride, HostBuffer out,
                     long m, long n, long k, boolean transA, boolean transB, float alpha, float beta) {
        float[] am = a.readFloats(0, (int) (m * k));
        float[] bm = b.readFloats(0, (int) (k * n));
        float[] y = HostMatrices.multiply(am, bm, (int) m, (int) n, (int) k, transA, transB);
        FloatBuffer fc = c == null ? null : c.floats();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float bias = fc == null ? 0 : beta * fc.get((int) (i * cRowStride + j * cColStride));
                y[(int) (i * n + j)] = alpha * y[(int) (i * n + j)] + bias;
            }
        }
        out.writeFloats(0, y);
    }

    @Override
    public void gather(DataType type, HostBuffer data, HostBuffer indices, HostBuffer out, long outer, long axisSize,
                       long inner, long indexCount) {
        int eb = ElementTypes.bytes(type);
        LongBuffer idx = indices.longs();
        for (long o = 0; o < outer; o++) {
            for (long i = 0; i < indexCount; i++) {
                long index = idx.get((int) i);
                if (index < 0) {
                    index += axisSize;
                }
                if (index < 0 || index >= axisSize) {
                    throw new IndexOutOfBoundsException("gather index " + idx.get((int) i) + " outside [0, " + axisSize + ")");
                }
                long src = (o * axisSize + index) * inner;
                long dst = (o * indexCount + i) * inner;
                out.bytes().put((int) (dst * eb), data.bytes(), (int) (src * eb), (int) (inner * eb));
            }
        }
    }

    @Override
    public void transpose(DataType type, HostBuffer in, long[] inShape, int[] perm, HostBuffer out) {
        long[] inStrides = Shapes.contiguousStrides(inShape);
        long[] outShape = new long[perm.length];
        long[] strides = new long[perm.length];
        for (int d = 0; d < perm.length; d++) {
            outShape[d] = inShape[perm[d]];
            strides[d] = inStrides[perm[d]];
        }
        expand(type, in, strides, out, outShape);
    }

    @Override
    public void copyRows(DataType type, HostBuffer src, long srcRowStride, HostBuffer dst, long dstRowStride, long rows, long cols) {
        int eb = ElementTypes.bytes(type);
        for (long r = 0; r < rows; r++) {
            dst.bytes().put((int) (r * dstRowStride * eb), src.bytes(), (int) (r * srcRowStride * eb), (int) (cols * eb));
        }
    }

    @Override
    public void slice(DataType type, HostBuffer in, long[] inShape, long[] starts, long[] steps, HostBuffer out, long[] outShape) {
        long[] inStrides = Shapes.contiguousStrides(inShape);
        long base = 0;
        long[] strides = new long[outShape.length];
        for (int d = 0; d < outShape.length; d++) {
            base += starts[d] * inStrides[d];
            strides[d] = steps[d] * inStrides[d];
        }
        int eb = ElementTypes.bytes(type);
        long n = Shapes.count(outShape);
        for (long i = 0; i < n; i++) {
            copyElement(in.bytes(), base + Shapes.offset(i, outShape, strides), out.bytes(), i, eb);
        }
    }

    private static void copyElement(ByteBuffer src, long si, ByteBuffer dst, long di, int eb) {
        switch (eb) {
            case 8 -> dst.putLong((int) (di * 8), src.getLong((int) (si * 8)));
            case 4 -> dst.putInt((int) (di * 4), src.getInt((int) (si * 4)));
            default -> dst.put((int) di, src.get((int) si));
        }
    }
}
