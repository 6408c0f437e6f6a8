package io.trims.devicedata;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One output tensor of ONNX Runtime, computed on this machine and carried to the GPU machine: its shape and the
 * values at flat indices {@code offset + i * stride} for {@code i < count}. Small outputs are carried whole
 * (offset 0, stride 1); large ones as a deterministic strided sample, with a stride coprime to the hidden size and
 * the sequence length so the sample visits every row, position and column. A GPU output is then compared value for
 * value at exactly those indices; nothing is estimated.
 *
 * <p>File layout, little-endian: {@code "TRIMSREF"}, int rank, long[rank] shape, long offset, long stride,
 * int count, float[count] values.
 */
public record ReferenceOutput(long[] shape, long offset, long stride, float[] values) {

    private static final byte[] MAGIC = "TRIMSREF".getBytes(StandardCharsets.US_ASCII);

    /** The whole tensor if it has at most {@code maxValues} elements, else a sample every {@code stride} elements. */
    public static ReferenceOutput of(long[] shape, float[] all, int maxValues, long stride) {
        if (all.length <= maxValues) {
            return new ReferenceOutput(shape.clone(), 0, 1, all.clone());
        }
        int count = (int) ((all.length + stride - 1) / stride);
        float[] sample = new float[count];
        for (int i = 0; i < count; i++) {
            sample[i] = all[(int) (i * stride)];
        }
        return new ReferenceOutput(shape.clone(), 0, stride, sample);
    }

    /** Largest |actual - reference| over the carried indices; fails if the shapes differ. */
    public double maxAbsDiff(long[] actualShape, float[] actual) {
        if (!Arrays.equals(shape, actualShape)) {
            throw new AssertionError("shape " + Arrays.toString(actualShape) + ", reference " + Arrays.toString(shape));
        }
        double max = 0;
        for (int i = 0; i < values.length; i++) {
            float a = actual[(int) (offset + i * stride)];
            if (Float.isNaN(a)) {
                return Double.NaN;
            }
            max = Math.max(max, Math.abs(a - values[i]));
        }
        return max;
    }

    public void write(OutputStream out) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 8 * shape.length + 8 + 8 + 4 + 4 * values.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(shape.length);
        for (long d : shape) {
            b.putLong(d);
        }
        b.putLong(offset).putLong(stride).putInt(values.length);
        for (float v : values) {
            b.putFloat(v);
        }
        out.write(b.array());
    }

    public static ReferenceOutput read(InputStream in) throws IOException {
        byte[] bytes = new DataInputStream(in).readAllBytes();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(MAGIC, magic)) {
            throw new IOException("not a trims reference output");
        }
        long[] shape = new long[b.getInt()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = b.getLong();
        }
        long offset = b.getLong();
        long stride = b.getLong();
        float[] values = new float[b.getInt()];
        b.asFloatBuffer().get(values);
        return new ReferenceOutput(shape, offset, stride, values);
    }
}
