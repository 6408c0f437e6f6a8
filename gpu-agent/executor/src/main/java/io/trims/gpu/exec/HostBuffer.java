package io.trims.gpu.exec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/** {@link HostKernels}' buffer: a little-endian window of heap memory, laid out exactly as device memory would be. */
public final class HostBuffer {

    private final ByteBuffer bytes;

    HostBuffer(ByteBuffer bytes) {
        this.bytes = bytes.order(ByteOrder.LITTLE_ENDIAN);
    }

    static HostBuffer allocate(long size) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a host buffer holds at most 2 GiB, not " + size + " bytes");
        }
        return new HostBuffer(ByteBuffer.allocate((int) size));
    }

    HostBuffer view(long offset, long size) {
        if (offset < 0 || size < 0 || offset + size > bytes.capacity()) {
            throw new IndexOutOfBoundsException("view [" + offset + ", " + (offset + size) + ") of a " + bytes.capacity() + "-byte buffer");
        }
        return new HostBuffer(bytes.slice((int) offset, (int) size));
    }

    /** Capacity in bytes. */
    public long size() {
        return bytes.capacity();
    }

    ByteBuffer bytes() {
        return bytes;
    }

    FloatBuffer floats() {
        return bytes.asFloatBuffer();
    }

    LongBuffer longs() {
        return bytes.asLongBuffer();
    }

    float[] readFloats(long offset, int count) {
        float[] out = new float[count];
        bytes.asFloatBuffer().get((int) offset, out);
        return out;
    }

    void writeFloats(long offset, float[] values) {
        bytes.asFloatBuffer().put((int) offset, values);
    }
}
