package io.trims.gpu.graph;

import io.trims.protocol.tensor.Tensor;

/**
 * An operator attribute. {@code value} is a Long (INT), Float (FLOAT), String (STRING), long[] (INTS), float[] (FLOATS)
 * or {@link Tensor} (TENSOR); other kinds are kept as their ONNX kind name (a String) so a support check can name them.
 */
public record Attribute(String name, Object value) {

    public long asLong() {
        return as(Long.class);
    }

    public float asFloat() {
        return value instanceof Long l ? l : as(Float.class);
    }

    public String asString() {
        return as(String.class);
    }

    public long[] asLongs() {
        return as(long[].class).clone();
    }

    public float[] asFloats() {
        return as(float[].class).clone();
    }

    public Tensor asTensor() {
        return as(Tensor.class);
    }

    private <T> T as(Class<T> type) {
        if (!type.isInstance(value)) {
            throw new GraphException("attribute '" + name + "' is not a " + type.getSimpleName());
        }
        return type.cast(value);
    }
}
