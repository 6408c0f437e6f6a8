package io.trims.protocol;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The binary form of one tensor in the v2 binary tensor data extension (and in gRPC's {@code raw_input_contents}
 * / {@code raw_output_contents}): row-major, little-endian, no padding; BOOL one byte (0 or 1); FP16 and BF16 two
 * bytes; BYTES each element a 4-byte little-endian unsigned length followed by that many bytes.
 */
public final class BinaryTensors {

    private BinaryTensors() {
    }

    /** Bytes the binary form of {@code t} takes. */
    public static long byteSize(Tensor t) {
        if (t.type().fixedSize()) {
            return (long) t.size() * t.type().elementBytes();
        }
        long total = 0;
        for (byte[] element : (byte[][]) t.data()) {
            total += 4L + element.length;
        }
        return total;
    }

    /** {@code t}'s binary form in a buffer of its own. */
    public static Buffer toBuffer(Tensor t) {
        long size = byteSize(t);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + t.name() + "' takes " + size + " bytes, more than a buffer holds");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        write(t, out);
        return Buffer.buffer(out.array());
    }

    /** Writes {@code t}'s binary form at the position of {@code out} (little-endian), moving it past. */
    public static void write(Tensor t, ByteBuffer out) {
        Object data = t.data();
        int at = out.position();
        switch (t.type()) {
            case BOOL -> {
                for (boolean v : (boolean[]) data) {
                    out.put((byte) (v ? 1 : 0));
                }
            }
            case INT8, UINT8 -> out.put((byte[]) data);
            case INT16, FP16, BF16 -> out.asShortBuffer().put((short[]) data);
            case INT32 -> out.asIntBuffer().put((int[]) data);
            case INT64 -> out.asLongBuffer().put((long[]) data);
            case FP32 -> out.asFloatBuffer().put((float[]) data);
            case FP64 -> out.asDoubleBuffer().put((double[]) data);
            case BYTES -> {
                for (byte[] element : (byte[][]) data) {
                    out.putInt(element.length).put(element);
                }
            }
        }
        if (t.type().fixedSize()) {
            // The typed views above write through without moving the byte buffer's own position.
            out.position(at + t.size() * t.type().elementBytes());
        }
    }

    /**
     * The tensor held in exactly {@code bytes}; a 400 naming {@code where} (e.g. {@code "input 'x'"}) when the bytes
     * do not fit the shape: a size other than shape × element size, a BOOL byte other than 0 or 1, a BYTES length
     * running past the data or bytes left over after the last element.
     *
     * @param shape non-negative dimensions holding at most {@link Integer#MAX_VALUE} elements
     */
    public static Tensor read(String name, DataType type, long[] shape, Buffer bytes, String where) {
        int count = (int) Tensor.elementCount(shape);
        ByteBuffer in = view(bytes);
        if (!type.fixedSize()) {
            return new Tensor(name, type, shape, strings(in, count, where));
        }
        long expected = (long) count * type.elementBytes();
        if (in.remaining() != expected) {
            throw V2Exception.badRequest(where + ": " + InferBody.BINARY_DATA_SIZE + " " + in.remaining()
                    + " does not match shape " + V2Codec.shapeText(shape) + " of " + type + ", which takes " + expected
                    + " bytes");
        }
        Object data = switch (type) {
            case BOOL -> bools(in, count, where);
            case INT8, UINT8 -> {
                byte[] a = new byte[count];
                in.get(a);
                yield a;
            }
            case INT16, FP16, BF16 -> {
                short[] a = new short[count];
                in.asShortBuffer().get(a);
                yield a;
            }
            case INT32 -> {
                int[] a = new int[count];
                in.asIntBuffer().get(a);
                yield a;
            }
            case INT64 -> {
                long[] a = new long[count];
                in.asLongBuffer().get(a);
                yield a;
            }
            case FP32 -> {
                float[] a = new float[count];
                in.asFloatBuffer().get(a);
                yield a;
            }
            case FP64 -> {
                double[] a = new double[count];
                in.asDoubleBuffer().get(a);
                yield a;
            }
            case BYTES -> throw new IllegalStateException("BYTES is read above");
        };
        return new Tensor(name, type, shape, data);
    }

    private static boolean[] bools(ByteBuffer in, int count, String where) {
        boolean[] a = new boolean[count];
        for (int i = 0; i < count; i++) {
            byte b = in.get();
            if (b != 0 && b != 1) {
                throw V2Exception.badRequest(where + ": BOOL element " + i + " is byte " + Byte.toUnsignedInt(b)
                        + "; it must be 0 or 1");
            }
            a[i] = b == 1;
        }
        return a;
    }

    private static byte[][] strings(ByteBuffer in, int count, String where) {
        int size = in.remaining();
        // Every element takes at least its 4-byte length: checked before an array of count slots is made.
        if ((long) count * 4 > size) {
            throw V2Exception.badRequest(where + ": " + size + " bytes of binary data cannot hold " + count
                    + " BYTES elements, each needs at least its 4-byte length");
        }
        byte[][] a = new byte[count][];
        for (int i = 0; i < count; i++) {
            if (in.remaining() < 4) {
                throw V2Exception.badRequest(where + ": the length of BYTES element " + i + " runs past the end of its "
                        + size + " bytes of binary data");
            }
            long length = Integer.toUnsignedLong(in.getInt());
            if (length > in.remaining()) {
                throw V2Exception.badRequest(where + ": BYTES element " + i + " says " + length + " bytes, but only "
                        + in.remaining() + " of its " + size + " bytes of binary data are left");
            }
            a[i] = new byte[(int) length];
            in.get(a[i]);
        }
        if (in.hasRemaining()) {
            throw V2Exception.badRequest(where + ": " + in.remaining() + " bytes of binary data are left over after its "
                    + count + " BYTES elements");
        }
        return a;
    }

    /** A little-endian view of the buffer's bytes, shared, not copied, when the buffer is Vert.x's own. */
    private static ByteBuffer view(Buffer bytes) {
        ByteBuffer view = bytes instanceof BufferInternal internal
                ? internal.getByteBuf().nioBuffer()
                : ByteBuffer.wrap(bytes.getBytes());
        return view.order(ByteOrder.LITTLE_ENDIAN);
    }
}
