package io.trims.protocol.tensor;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named, typed, dense tensor in row-major order.
 *
 * @param data an array of {@link DataType#arrayType()} holding exactly {@code elementCount(shape)} elements
 */
public record Tensor(String name, DataType type, long[] shape, Object data) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
        if (!type.arrayType().isInstance(data)) {
            throw new IllegalArgumentException("tensor '" + name + "' of " + type + " needs a " + type.arrayType().getSimpleName());
        }
        long expected = elementCount(shape);
        int actual = Array.getLength(data);
        if (expected != actual) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape) + " (" + expected
                    + " elements) but " + actual + " values");
        }
    }

    /** Number of elements a shape holds; -1 if any dimension is negative. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public int size() {
        return Array.getLength(data);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
                && Objects.deepEquals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + type + Arrays.toString(shape) + "]";
    }
}
