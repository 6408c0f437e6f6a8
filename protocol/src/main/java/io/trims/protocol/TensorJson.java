package io.trims.protocol;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.vertx.core.json.JsonArray;

import io.trims.protocol.tensor.HalfFloats;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Converts between v2 JSON {@code data} values and the arrays a {@link Tensor} holds. BYTES elements are JSON
 * strings (UTF-8); FP16 and BF16 elements are JSON numbers, rounded to the nearest value of the type (Triton
 * refuses FP16 in JSON; a number is what a user writes, so trims takes it).
 */
final class TensorJson {

    private TensorJson() {
    }

    /** Appends the leaves of a flat or nested JSON array to {@code out}, row-major. */
    static void flatten(Object data, List<Object> out) {
        if (data instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                flatten(array.getValue(i), out);
            }
        } else if (data instanceof List<?> list) {
            for (Object item : list) {
                flatten(item, out);
            }
        } else {
            out.add(data);
        }
    }

    /**
     * The array of {@code type} holding {@code values}; a value of the wrong kind is a 400 naming it.
     *
     * @param where the tensor, as an error message names it ({@code "input 'x'"})
     */
    static Object toArray(String where, DataType type, List<Object> values) {
        int n = values.size();
        switch (type) {
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    if (!(values.get(i) instanceof Boolean b)) {
                        throw wrongKind(where, i, values.get(i), type);
                    }
                    a[i] = b;
                }
                return a;
            }
            case INT8, UINT8 -> {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (byte) integer(where, i, values.get(i), type);
                }
                return a;
            }
            case INT16 -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (short) integer(where, i, values.get(i), type);
                }
                return a;
            }
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (int) integer(where, i, values.get(i), type);
                }
                return a;
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = integer(where, i, values.get(i), type);
                }
                return a;
            }
            case FP32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) real(where, i, values.get(i), type);
                }
                return a;
            }
            case FP64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = real(where, i, values.get(i), type);
                }
                return a;
            }
            case FP16, BF16 -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    float v = (float) real(where, i, values.get(i), type);
                    a[i] = type == DataType.FP16 ? HalfFloats.toFp16(v) : HalfFloats.toBf16(v);
                    float back = type == DataType.FP16 ? HalfFloats.fromFp16(a[i]) : HalfFloats.fromBf16(a[i]);
                    if (Float.isInfinite(back) && !Float.isInfinite(v)) {
                        throw outOfRange(where, i, values.get(i), type);
                    }
                }
                return a;
            }
            case BYTES -> {
                byte[][] a = new byte[n][];
                for (int i = 0; i < n; i++) {
                    if (!(values.get(i) instanceof String text)) {
                        throw wrongKind(where, i, values.get(i), type);
                    }
                    a[i] = text.getBytes(StandardCharsets.UTF_8);
                }
                return a;
            }
        }
        throw new IllegalStateException("unhandled " + type);
    }

    /** The tensor's elements as a flat JSON array (UINT8 read unsigned, FP16/BF16 as numbers, BYTES as UTF-8 text). */
    static JsonArray toJson(Tensor tensor) {
        JsonArray out = new JsonArray();
        Object data = tensor.data();
        switch (tensor.type()) {
            case BOOL -> {
                for (boolean v : (boolean[]) data) {
                    out.add(v);
                }
            }
            case INT8 -> {
                for (byte v : (byte[]) data) {
                    out.add((int) v);
                }
            }
            case UINT8 -> {
                for (byte v : (byte[]) data) {
                    out.add(Byte.toUnsignedInt(v));
                }
            }
            case INT16 -> {
                for (short v : (short[]) data) {
                    out.add((int) v);
                }
            }
            case INT32 -> {
                for (int v : (int[]) data) {
                    out.add(v);
                }
            }
            case INT64 -> {
                for (long v : (long[]) data) {
                    out.add(v);
                }
            }
            case FP32 -> {
                for (float v : (float[]) data) {
                    out.add(v);
                }
            }
            case FP64 -> {
                for (double v : (double[]) data) {
                    out.add(v);
                }
            }
            case FP16 -> {
                for (short v : (short[]) data) {
                    out.add(HalfFloats.fromFp16(v));
                }
            }
            case BF16 -> {
                for (short v : (short[]) data) {
                    out.add(HalfFloats.fromBf16(v));
                }
            }
            case BYTES -> {
                for (byte[] v : (byte[][]) data) {
                    out.add(new String(v, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    /** An exact integer in the type's range; JSON numbers with a fraction or exponent are refused. */
    private static long integer(String where, int index, Object value, DataType type) {
        long v;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            v = ((Number) value).longValue();
        } else if (value instanceof BigInteger big) {
            if (big.bitLength() >= 64) {
                throw outOfRange(where, index, value, type);
            }
            v = big.longValue();
        } else {
            throw wrongKind(where, index, value, type);
        }
        long min;
        long max;
        switch (type) {
            case INT8 -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
            case UINT8 -> { min = 0; max = 255; }
            case INT16 -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
            case INT32 -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
            default -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
        }
        if (v < min || v > max) {
            throw outOfRange(where, index, value, type);
        }
        return v;
    }

    private static double real(String where, int index, Object value, DataType type) {
        if (value instanceof BigDecimal big) {
            return big.doubleValue();
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw wrongKind(where, index, value, type);
    }

    private static V2Exception wrongKind(String where, int index, Object value, DataType type) {
        return V2Exception.badRequest(where + ": element " + index + " (" + show(value) + ") is not a valid "
                + type + " value");
    }

    private static V2Exception outOfRange(String where, int index, Object value, DataType type) {
        return V2Exception.badRequest(where + ": element " + index + " (" + show(value)
                + ") is out of range for " + type);
    }

    private static String show(Object value) {
        return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    }
}
