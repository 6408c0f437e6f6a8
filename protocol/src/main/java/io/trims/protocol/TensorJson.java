package io.trims.protocol;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.vertx.core.json.JsonArray;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/** Converts between v2 JSON {@code data} values and the primitive arrays a {@link Tensor} holds. */
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

    /** The primitive array of {@code type} holding {@code values}; a value of the wrong kind is a 400 naming it. */
    static Object toArray(String input, DataType type, List<Object> values) {
        int n = values.size();
        switch (type) {
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    if (!(values.get(i) instanceof Boolean b)) {
                        throw wrongKind(input, i, values.get(i), type);
                    }
                    a[i] = b;
                }
                return a;
            }
            case INT8, UINT8 -> {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (byte) integer(input, i, values.get(i), type);
                }
                return a;
            }
            case INT16 -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (short) integer(input, i, values.get(i), type);
                }
                return a;
            }
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (int) integer(input, i, values.get(i), type);
                }
                return a;
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = integer(input, i, values.get(i), type);
                }
                return a;
            }
            case FP32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) real(input, i, values.get(i), type);
                }
                return a;
            }
            case FP64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = real(input, i, values.get(i), type);
                }
                return a;
            }
            default -> throw new IllegalStateException("unhandled " + type);
        }
    }

    /** The tensor's elements as a flat JSON array (UINT8 read unsigned). */
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
            default -> throw new IllegalStateException("unhandled " + tensor.type());
        }
        return out;
    }

    /** An exact integer in the type's range; JSON numbers with a fraction or exponent are refused. */
    private static long integer(String input, int index, Object value, DataType type) {
        long v;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            v = ((Number) value).longValue();
        } else if (value instanceof BigInteger big) {
            if (big.bitLength() >= 64) {
                throw outOfRange(input, index, value, type);
            }
            v = big.longValue();
        } else {
            throw wrongKind(input, index, value, type);
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
            throw outOfRange(input, index, value, type);
        }
        return v;
    }

    private static double real(String input, int index, Object value, DataType type) {
        if (value instanceof BigDecimal big) {
            return big.doubleValue();
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw wrongKind(input, index, value, type);
    }

    private static V2Exception wrongKind(String input, int index, Object value, DataType type) {
        return V2Exception.badRequest("input '" + input + "': element " + index + " (" + show(value) + ") is not a valid "
                + type + " value");
    }

    private static V2Exception outOfRange(String input, int index, Object value, DataType type) {
        return V2Exception.badRequest("input '" + input + "': element " + index + " (" + show(value)
                + ") is out of range for " + type);
    }

    private static String show(Object value) {
        return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    }
}
