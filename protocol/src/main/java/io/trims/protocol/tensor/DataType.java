package io.trims.protocol.tensor;

import java.util.Locale;
import java.util.Optional;

/** Tensor element types, named as the KServe v2 protocol names them. Each is held in one Java primitive array type. */
public enum DataType {
    BOOL(boolean[].class),
    INT8(byte[].class),
    UINT8(byte[].class),
    INT16(short[].class),
    INT32(int[].class),
    INT64(long[].class),
    FP32(float[].class),
    FP64(double[].class);

    private final Class<?> arrayType;

    DataType(Class<?> arrayType) {
        this.arrayType = arrayType;
    }

    /** The primitive array class that holds this type's elements. */
    public Class<?> arrayType() {
        return arrayType;
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
