package io.trims.gpu.graph;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.lang.reflect.Array;

/** Reads and writes small host tensors element by element, whatever their type (shape arithmetic only). */
public final class HostValues {

    private HostValues() {
    }

    public static boolean isFloating(DataType type) {
        return type == DataType.FP32 || type == DataType.FP64;
    }

    public static long[] longs(Tensor t) {
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = longAt(t, i);
        }
        return out;
    }

    public static long longAt(Tensor t, int i) {
        Object d = t.data();
        return switch (t.type()) {
            case FP32 -> (long) ((float[]) d)[i];
            case FP64 -> (long) ((double[]) d)[i];
            case BOOL -> ((boolean[]) d)[i] ? 1 : 0;
            default -> ((Number) Array.get(d, i)).longValue();
        };
    }

    public static double doubleAt(Tensor t, int i) {
        Object d = t.data();
        return switch (t.type()) {
            case FP32 -> ((float[]) d)[i];
            case FP64 -> ((double[]) d)[i];
            case BOOL -> ((boolean[]) d)[i] ? 1 : 0;
            default -> ((Number) Array.get(d, i)).doubleValue();
        };
    }

    /** A new array of {@code type} holding {@code n} elements. */
    public static Object newArray(DataType type, int n) {
        return Array.newInstance(type.arrayType().getComponentType(), n);
    }

    public static void setLong(Object array, DataType type, int i, long v) {
        switch (type) {
            case FP32 -> ((float[]) array)[i] = v;
            case FP64 -> ((double[]) array)[i] = v;
            case INT64 -> ((long[]) array)[i] = v;
            case INT32 -> ((int[]) array)[i] = (int) v;
            case INT16 -> ((short[]) array)[i] = (short) v;
            case INT8, UINT8 -> ((byte[]) array)[i] = (byte) v;
            case BOOL -> ((boolean[]) array)[i] = v != 0;
        }
    }

    public static void setDouble(Object array, DataType type, int i, double v) {
        switch (type) {
            case FP32 -> ((float[]) array)[i] = (float) v;
            case FP64 -> ((double[]) array)[i] = v;
            case BOOL -> ((boolean[]) array)[i] = v != 0;
            default -> setLong(array, type, i, (long) v);
        }
    }

    /** Copies element {@code from} of {@code src} to element {@code to} of {@code dst} (same type). */
    public static void copy(Object src, int from, Object dst, int to) {
        Array.set(dst, to, Array.get(src, from));
    }
}
