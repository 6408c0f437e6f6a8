package io.trims.protocol.tensor;

import java.util.Locale;
import java.util.Optional;

/**
 * Tensor element types, named as the KServe v2 protocol names them. Each is held in one Java array type: FP16 and
 * BF16 as {@code short[]} of their bit patterns (IEEE half precision, bfloat16), BYTES as {@code byte[][]}, one
 * byte string per element.
 */
public enum DataType {
    BOOL(boolean[].class, 1),
    INT8(byte[].class, 1),
    UINT8(byte[].class, 1),
    INT16(short[].class, 2),
    INT32(int[].class, 4),
    INT64(long[].class, 8),
    FP16(short[].class, 2),
    BF16(short[].class, 2),
    FP32(float[].class, 4),
    FP64(double[].class, 8),
    BYTES(byte[][].class, 0);

    private final Class<?> arrayType;
    private final int elementBytes;

    DataType(Class<?> arrayType, int elementBytes) {
        this.arrayType = arrayType;
        this.elementBytes = elementBytes;
    }

    /** The array class that holds this type's elements. */
    public Class<?> arrayType() {
        return arrayType;
    }

    /** Whether every element takes the same number of bytes; BYTES elements have a length each. */
    public boolean fixedSize() {
        return elementBytes > 0;
    }

    /** Bytes per element in the binary (and ONNX raw) form; only for {@link #fixedSize()} types. */
    public int elementBytes() {
        if (!fixedSize()) {
            throw new IllegalStateException(this + " elements have no fixed size");
        }
        return elementBytes;
    }

    /** The v2 name ({@code "FP32"}), case-insensitive; empty for a name that is not a supported type. */
    public static Optional<DataType> fromV2(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
