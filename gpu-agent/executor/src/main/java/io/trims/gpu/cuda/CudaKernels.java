package io.trims.gpu.cuda;

import io.trims.gpu.exec.BinaryOp;
import io.trims.gpu.exec.Kernels;
import io.trims.gpu.exec.UnaryOp;
import io.trims.protocol.tensor.DataType;

/**
 * {@link Kernels} on a CUDA device: each operator becomes one launch of trims' PTX kernels (layouts collapsed,
 * structs packed, grid chosen here), all on one {@link DeviceStream} per instance (one instance per loaded model),
 * so calls queue in order and run asynchronously until a download or {@link #synchronize()}. Every allocation is
 * accounted by the {@link DeviceAllocator} under this instance's owner.
 */
public final class CudaKernels implements Kernels<DeviceBuffer> {

    private final DeviceAllocator memory;
    private final DeviceStream stream;
    private final String owner;
    private boolean closed;

    /** Takes ownership of {@code stream} (closed with this); allocations go to {@code memory} as {@code owner}. */
    public CudaKernels(DeviceAllocator memory, DeviceStream stream, String owner) {
        this.memory = memory;
        this.stream = stream;
        this.owner = owner;
    }

    public String owner() {
        return owner;
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        return memory.allocate(owner, bytes);
    }

    /** Waits for the stream first: queued kernels may still read the buffer. */
    @Override
    public void free(DeviceBuffer buffer) {
        synchronize();
        memory.free(buffer);
    }

    @Override
    public DeviceBuffer view(DeviceBuffer buffer, long byteOffset, long bytes) {
        return buffer.view(byteOffset, bytes);
    }

    @Override
    public void uploadFloats(DeviceBuffer dst, float[] src) {
        stream.upload(src, dst);
    }

    @Override
    public void uploadLongs(DeviceBuffer dst, long[] src) {
        stream.upload(src, dst);
    }

    @Override
    public void uploadInts(DeviceBuffer dst, int[] src) {
        stream.upload(src, dst);
    }

    @Override
    public void uploadBools(DeviceBuffer dst, boolean[] src) {
        stream.upload(src, dst);
    }

    @Override
    public float[] downloadFloats(DeviceBuffer src, int count) {
        return download(src, new float[count]);
    }

    @Override
    public long[] downloadLongs(DeviceBuffer src, int count) {
        return download(src, new long[count]);
    }

    @Override
    public int[] downloadInts(DeviceBuffer src, int count) {
        return download(src, new int[count]);
    }

    @Override
    public boolean[] downloadBools(DeviceBuffer src, int count) {
        return download(src, new boolean[count]);
    }

    private <A> A download(DeviceBuffer src, A array) {
        stream.download(src, array);
        return array;
    }

    @Override
    public void copy(DeviceBuffer src, DeviceBuffer dst, long bytes) {
        if (bytes > 0) {
            stream.copy(src, dst, bytes);
        }
    }

    @Override
    public void synchronize() {
        stream.synchronize();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stream.close();
        }
    }

    @Override
    public void binary(BinaryOp op, DataType type, DeviceBuffer a, long[] aStrides, DeviceBuffer b, long[] bStrides,
                       DeviceBuffer out, long[] outShape) {
        StridePacking.Layout l = layout(outShape, aStrides, bStrides);
        elementwise(KernelChoice.binary(op, type), l, a, b, out);
    }

    @Override
    public void where(DataType type, DeviceBuffer cond, long[] condStrides, DeviceBuffer x, long[] xStrides,
                      DeviceBuffer y, long[] yStrides, DeviceBuffer out, long[] outShape) {
        StridePacking.Layout l = layout(outShape, condStrides, xStrides, yStrides);
        elementwise(KernelChoice.where(type), l, cond, x, y, out);
    }

    @Override
    public void unary(UnaryOp op, DeviceBuffer in, DeviceBuffer out, long count) {
        if (count > 0) {
            int n = Math.toIntExact(count);
            launch(KernelChoice.unary(op), LaunchGeometry.elementwise(n), in, out, n);
        }
    }

    @Override
    public void cast(DataType from, DataType to, DeviceBuffer in, DeviceBuffer out, long count) {
        if (from == to) {
            copy(in, out, count * KernelChoice.width(from));
        } else if (count > 0) {
            int n = Math.toIntExact(count);
            launch(KernelChoice.cast(from, to), LaunchGeometry.elementwise(n), in, out, n);
        }
    }

    @Override
    public void expand(DataType type, DeviceBuffer in, long[] inStrides, DeviceBuffer out, long[] outShape) {
        long[] outStrides = StridePacking.toLongs(StridePacking.contiguous(outShape));
        stridedCopy(type, in, 0, layout(outShape, inStrides, outStrides), out, 0);
    }

    @Override
    public void reduceMean(DeviceBuffer in, DeviceBuffer out, long rows, long cols) {
        if (rows > 0) {
            int r = Math.toIntExact(rows), c = Math.toIntExact(cols);
            launch(CudaKernel.REDUCE_MEAN_LAST_F32, LaunchGeometry.rows(r, c), in, out, r, c);
        }
    }

    @Override
    public void softmax(DeviceBuffer in, DeviceBuffer out, long outer, long axis, long inner) {
        int rows = Math.toIntExact(outer * inner);
        if (rows > 0) {
            int a = Math.toIntExact(axis);
            launch(CudaKernel.SOFTMAX_F32, LaunchGeometry.rows(rows, a), in, out, rows, a,
                    Math.toIntExact(inner));
        }
    }

    @Override
    public void layerNorm(DeviceBuffer in, DeviceBuffer scale, DeviceBuffer bias, DeviceBuffer out, long rows, long cols,
                          float epsilon) {
        if (rows > 0) {
            int r = Math.toIntExact(rows), c = Math.toIntExact(cols);
            launch(CudaKernel.LAYERNORM_LAST_F32, LaunchGeometry.rows(r, c), in, scale,
                    bias, out, r, c, epsilon);
        }
    }

    @Override
    public void matMul(DeviceBuffer a, DeviceBuffer b, DeviceBuffer out, long m, long n, long k, long[] batchShape,
                       long[] aBatchStrides, long[] bBatchStrides) {
        GemmShape g = GemmShape.batched(m, n, k, batchShape, aBatchStrides, bBatchStrides);
        if (g.m() > 0 && g.n() > 0 && g.batch() > 0) {
            launch(g.kernel(), g.grid(), a, b, null, out, 1.0f, 0.0f, g.pack());
        }
    }

    @Override
    public void gemm(DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, long cRowStride, long cColStride, DeviceBuffer out,
                     long m, long n, long k, boolean transA, boolean transB, float alpha, float beta) {
        GemmShape g = GemmShape.single(Math.toIntExact(m), Math.toIntExact(n), Math.toIntExact(k), transA, transB);
        if (c != null) {
            g = g.withBias(Math.toIntExact(cRowStride), Math.toIntExact(cColStride));
        }
        if (g.m() > 0 && g.n() > 0) {
            launch(g.kernel(), g.grid(), a, b, c,
                    out, alpha, beta, g.pack());
        }
    }

    @Override
    public void gather(DataType type, DeviceBuffer data, DeviceBuffer indices, DeviceBuffer out, long outer,
                       long axisSize, long inner, long indexCount) {
        long n = outer * indexCount * inner;
        if (n > 0) {
            launch(KernelChoice.gather(type), LaunchGeometry.elementwise(n), data, indices,
                    out, Math.toIntExact(outer), Math.toIntExact(axisSize), Math.toIntExact(indexCount),
                    Math.toIntExact(inner));
        }
    }

    @Override
    public void transpose(DataType type, DeviceBuffer in, long[] inShape, int[] perm, DeviceBuffer out) {
        StridePacking.CopyLayout c = StridePacking.transpose(inShape, perm);
        stridedCopy(type, in, c.offsetX(), c.layout(), out, c.offsetY());
    }

    @Override
    public void copyRows(DataType type, DeviceBuffer src, long srcRowStride, DeviceBuffer dst, long dstRowStride,
                         long rows, long cols) {
        StridePacking.Layout l = layout(new long[] {rows, cols}, new long[] {srcRowStride, 1},
                new long[] {dstRowStride, 1});
        stridedCopy(type, src, 0, l, dst, 0);
    }

    @Override
    public void slice(DataType type, DeviceBuffer in, long[] inShape, long[] starts, long[] steps, DeviceBuffer out,
                      long[] outShape) {
        StridePacking.CopyLayout c = StridePacking.slice(inShape, starts, steps, outShape);
        stridedCopy(type, in, c.offsetX(), c.layout(), out, c.offsetY());
    }

    private void stridedCopy(DataType type, DeviceBuffer in, int offsetX, StridePacking.Layout l, DeviceBuffer out,
                             int offsetY) {
        int n = l.elements();
        if (n > 0) {
            launch(KernelChoice.stridedCopy(type), LaunchGeometry.elementwise(n), in, out,
                    offsetX, offsetY, n, l.pack());
        }
    }

    private void elementwise(CudaKernel kernel, StridePacking.Layout l, Object... pointers) {
        int n = l.elements();
        if (n == 0) {
            return;
        }
        Object[] args = new Object[pointers.length + 2];
        System.arraycopy(pointers, 0, args, 0, pointers.length);
        args[pointers.length] = n;
        args[pointers.length + 1] = l.pack();
        launch(kernel, LaunchGeometry.elementwise(n), args);
    }

    private void launch(CudaKernel kernel, LaunchGeometry.Grid grid, Object... args) {
        stream.launch(kernel, grid, args);
    }

    private static StridePacking.Layout layout(long[] shape, long[]... strides) {
        int[][] s = new int[strides.length][];
        for (int i = 0; i < strides.length; i++) {
            s[i] = StridePacking.toInts(strides[i]);
        }
        return new StridePacking.Layout(StridePacking.toInts(shape), s).collapse();
    }
}
