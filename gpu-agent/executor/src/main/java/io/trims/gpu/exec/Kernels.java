package io.trims.gpu.exec;

import io.trims.protocol.tensor.DataType;

/**
 * The device seam: buffer management and one method per device operator. {@code B} is the implementation's opaque
 * buffer handle ({@code CUdeviceptr} on a GPU, a host byte buffer in {@link HostKernels}).
 *
 * <p>Conventions. Every tensor is dense and row-major. Sizes, shapes and strides count elements, not bytes. Element
 * types on a device are FP32 (4 bytes), INT64 (8), INT32 (4) and BOOL (1 byte, 0 or 1). A "strides" array has the
 * output's rank and gives, per output dimension, the element stride in that operand: 0 where the operand is broadcast
 * along that dimension. Buffers passed to one call never overlap unless the method says so. Calls may be asynchronous
 * (queued in order on one stream); downloads and {@link #synchronize()} wait for everything queued before them.
 */
public interface Kernels<B> extends AutoCloseable {

    // ---- memory ----

    /** A new buffer of exactly {@code bytes} bytes (at least 1), aligned to 256 bytes. */
    B allocate(long bytes);

    /** Frees a buffer from {@link #allocate}; never called on a view. */
    void free(B buffer);

    /** A window of {@code bytes} bytes at {@code byteOffset} into {@code buffer}; no allocation, never freed. */
    B view(B buffer, long byteOffset, long bytes);

    void uploadFloats(B dst, float[] src);

    void uploadLongs(B dst, long[] src);

    void uploadInts(B dst, int[] src);

    /** One byte per element, 1 for true. */
    void uploadBools(B dst, boolean[] src);

    float[] downloadFloats(B src, int count);

    long[] downloadLongs(B src, int count);

    int[] downloadInts(B src, int count);

    boolean[] downloadBools(B src, int count);

    /** Copies {@code bytes} bytes; src and dst may be views into the same buffer but do not overlap. */
    void copy(B src, B dst, long bytes);

    /** Waits for every queued call. */
    void synchronize();

    /** Frees what the implementation itself holds (modules, streams, staging memory); not the caller's buffers. */
    @Override
    void close();

    // ---- elementwise ----

    /**
     * {@code out[i] = a[i] op b[i]} over {@code outShape} with N-d broadcasting through the strides.
     * Types: FP32 for every op; INT64 for ADD, SUB, MUL, DIV (truncating) and EQUAL. EQUAL writes BOOL.
     */
    void binary(BinaryOp op, DataType type, B a, long[] aStrides, B b, long[] bStrides, B out, long[] outShape);

    /** {@code out[i] = cond[i] ? x[i] : y[i]}; cond is BOOL, x/y/out of {@code type} (FP32 or INT64). */
    void where(DataType type, B cond, long[] condStrides, B x, long[] xStrides, B y, long[] yStrides, B out, long[] outShape);

    /** FP32 elementwise; in and out may be the same buffer. */
    void unary(UnaryOp op, B in, B out, long count);

    /** Converts between FP32, INT64, INT32 and BOOL (to BOOL: value != 0; FP32 to integer truncates toward zero). */
    void cast(DataType from, DataType to, B in, B out, long count);

    /** {@code out[i] = in[i * strides]} broadcast to {@code outShape} (ONNX Expand, any device type). */
    void expand(DataType type, B in, long[] inStrides, B out, long[] outShape);

    // ---- reductions and normalisations (FP32) ----

    /** {@code out[r] = mean(in[r, 0..cols))} for a [rows, cols] input. */
    void reduceMean(B in, B out, long rows, long cols);

    /** Softmax along the middle axis of an [outer, axis, inner] view (last axis: inner = 1). */
    void softmax(B in, B out, long outer, long axis, long inner);

    /** Layer normalisation of each row of [rows, cols] with scale [cols] and bias [cols] (bias may be null). */
    void layerNorm(B in, B scale, B bias, B out, long rows, long cols, float epsilon);

    // ---- matrix products (FP32) ----

    /**
     * Batched {@code out[b] = a[b] x b[b]}: each a-matrix is [m, k] and each b-matrix [k, n], contiguous; out is
     * [batchShape..., m, n] contiguous. {@code aBatchStrides}/{@code bBatchStrides} (length = batchShape.length, may
     * be 0) give the element offset between consecutive matrices along each batch dimension (0 = broadcast).
     */
    void matMul(B a, B b, B out, long m, long n, long k, long[] batchShape, long[] aBatchStrides, long[] bBatchStrides);

    /**
     * {@code out[m, n] = alpha * op(a) x op(b) + beta * c}; op transposes when asked (a is stored [k, m] when transA,
     * b is stored [n, k] when transB). {@code c} may be null; it is read at {@code i * cRowStride + j * cColStride}
     * (0 strides broadcast).
     */
    void gemm(B a, B b, B c, long cRowStride, long cColStride, B out, long m, long n, long k, boolean transA,
              boolean transB, float alpha, float beta);

    // ---- data movement (any device type) ----

    /**
     * Gather along the middle axis of data viewed as [outer, axisSize, inner] with INT64 indices (negative ones count
     * from the end): {@code out[o, i, j] = data[o, indices[i], j]} for an out of [outer, indexCount, inner].
     */
    void gather(DataType type, B data, B indices, B out, long outer, long axisSize, long inner, long indexCount);

    /** {@code out = in.permute(perm)}; in has {@code inShape} (rank at most 6). */
    void transpose(DataType type, B in, long[] inShape, int[] perm, B out);

    /**
     * A strided 2-d copy: row r, column c goes from {@code src[r * srcRowStride + c]} to {@code dst[r * dstRowStride + c]}.
     * Concat makes one call per input into a view of its output.
     */
    void copyRows(DataType type, B src, long srcRowStride, B dst, long dstRowStride, long rows, long cols);

    /** {@code out[idx] = in[starts + idx * steps]} per dimension (steps may be negative); in has {@code inShape}. */
    void slice(DataType type, B in, long[] inShape, long[] starts, long[] steps, B out, long[] outShape);
}
