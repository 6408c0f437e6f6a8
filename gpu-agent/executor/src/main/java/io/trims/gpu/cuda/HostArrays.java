package io.trims.gpu.cuda;

import jcuda.Pointer;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;

/** The primitive arrays that cross to and from the device: their width, length, and copying into a buffer. */
final class HostArrays {

    private HostArrays() {
    }

    static int elementBytes(Object array) {
        if (array instanceof float[] || array instanceof int[]) {
            return 4;
        }
        if (array instanceof long[]) {
            return 8;
        }
        if (array instanceof byte[] || array instanceof boolean[]) {
            return 1;
        }
        throw unsupported(array);
    }

    static int length(Object array) {
        elementBytes(array); // throws for an array that cannot cross
        return Array.getLength(array);
    }

    /** Writes elements [from, from + count) at the buffer's start in its byte order, bools as 0/1. */
    static void put(ByteBuffer dst, Object array, int from, int count) {
        if (array instanceof float[] a) {
            dst.asFloatBuffer().put(a, from, count);
        } else if (array instanceof int[] a) {
            dst.asIntBuffer().put(a, from, count);
        } else if (array instanceof long[] a) {
            dst.asLongBuffer().put(a, from, count);
        } else if (array instanceof byte[] a) {
            dst.put(a, from, count);
        } else if (array instanceof boolean[] a) {
            for (int i = from; i < from + count; i++) {
                dst.put((byte) (a[i] ? 1 : 0));
            }
        } else {
            throw unsupported(array);
        }
    }

    static Pointer pointerTo(Object array) {
        if (array instanceof float[] a) {
            return Pointer.to(a);
        }
        if (array instanceof int[] a) {
            return Pointer.to(a);
        }
        if (array instanceof long[] a) {
            return Pointer.to(a);
        }
        if (array instanceof byte[] a) {
            return Pointer.to(a);
        }
        throw unsupported(array);
    }

    private static IllegalArgumentException unsupported(Object array) {
        return new IllegalArgumentException("no device transfer for " + (array == null ? "null" : array.getClass()));
    }
}
