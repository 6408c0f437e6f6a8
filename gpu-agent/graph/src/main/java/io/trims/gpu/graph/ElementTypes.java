package io.trims.gpu.graph;

import io.trims.protocol.tensor.DataType;

/** ONNX element type codes (TensorProto.DataType) and element sizes. */
public final class ElementTypes {

    private ElementTypes() {
    }

    /**
     * The trims type of an ONNX element type code; a {@link GraphException} for a code the graph executor does not
     * run. FP16, BF16 and STRING (BYTES) are among those: a model with them is served by ONNX Runtime on CPU.
     */
    public static DataType fromOnnx(int code) {
        return switch (code) {
            case 1 -> DataType.FP32;
            case 2 -> DataType.UINT8;
            case 3 -> DataType.INT8;
            case 5 -> DataType.INT16;
            case 6 -> DataType.INT32;
            case 7 -> DataType.INT64;
            case 9 -> DataType.BOOL;
            case 11 -> DataType.FP64;
            default -> throw new GraphException("ONNX element type " + code + " is not supported");
        };
    }

    /** The ONNX element type code of a trims type (the inverse of {@link #fromOnnx} where that accepts the code). */
    public static int toOnnx(DataType type) {
        return switch (type) {
            case FP32 -> 1;
            case UINT8 -> 2;
            case INT8 -> 3;
            case INT16 -> 5;
            case INT32 -> 6;
            case INT64 -> 7;
            case BYTES -> 8;
            case BOOL -> 9;
            case FP16 -> 10;
            case FP64 -> 11;
            case BF16 -> 16;
        };
    }

    /** Bytes per element, as stored on a device and in ONNX raw_data (BOOL is one byte); BYTES has no fixed size. */
    public static int bytes(DataType type) {
        if (!type.fixedSize()) {
            throw new GraphException(type + " elements have no fixed size");
        }
        return type.elementBytes();
    }
}
