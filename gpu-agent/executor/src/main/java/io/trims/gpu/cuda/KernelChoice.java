package io.trims.gpu.cuda;

import io.trims.gpu.exec.BinaryOp;
import io.trims.gpu.exec.UnaryOp;
import io.trims.protocol.tensor.DataType;

/** Which {@link CudaKernel} implements an operator for an element type. Pure. */
final class KernelChoice {

    private KernelChoice() {
    }

    static CudaKernel binary(BinaryOp op, DataType type) {
        if (type == DataType.FP32) {
            return switch (op) {
                case ADD -> CudaKernel.ADD_F32;
                case SUB -> CudaKernel.SUB_F32;
                case MUL -> CudaKernel.MUL_F32;
                case DIV -> CudaKernel.DIV_F32;
                case POW -> CudaKernel.POW_F32;
                case EQUAL -> CudaKernel.EQUAL_F32;
            };
        }
        if (type == DataType.INT64) {
            return switch (op) {
                case ADD -> CudaKernel.ADD_I64;
                case SUB -> CudaKernel.SUB_I64;
                case MUL -> CudaKernel.MUL_I64;
                case DIV -> CudaKernel.DIV_I64;
                case EQUAL -> CudaKernel.EQUAL_I64;
                case POW -> throw unsupported(op + " on " + type);
            };
        }
        throw unsupported(op + " on " + type);
    }

    static CudaKernel where(DataType type) {
        return switch (type) {
            case FP32 -> CudaKernel.WHERE_F32;
            case INT64 -> CudaKernel.WHERE_I64;
            default -> throw unsupported("Where on " + type);
        };
    }

    static CudaKernel unary(UnaryOp op) {
        return switch (op) {
            case SQRT -> CudaKernel.SQRT_F32;
            case ERF -> CudaKernel.ERF_F32;
            case RELU -> CudaKernel.RELU_F32;
            case SIGMOID -> CudaKernel.SIGMOID_F32;
            case TANH -> CudaKernel.TANH_F32;
            case GELU -> CudaKernel.GELU_F32;
            case GELU_TANH -> CudaKernel.GELU_TANH_F32;
            case NEG -> CudaKernel.NEG_F32;
            case EXP -> CudaKernel.EXP_F32;
        };
    }

    /** The cast kernel between two different device types (FP32, INT64, INT32, BOOL). */
    static CudaKernel cast(DataType from, DataType to) {
        String name = "CAST_" + code(from) + "_" + code(to);
        try {
            return CudaKernel.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw unsupported("Cast from " + from + " to " + to);
        }
    }

    static CudaKernel stridedCopy(DataType type) {
        return switch (width(type)) {
            case 1 -> CudaKernel.STRIDED_COPY_B8;
            case 4 -> CudaKernel.STRIDED_COPY_B32;
            case 8 -> CudaKernel.STRIDED_COPY_B64;
            default -> throw unsupported("data movement of " + type);
        };
    }

    static CudaKernel gather(DataType type) {
        return switch (width(type)) {
            case 1 -> CudaKernel.GATHER_B8;
            case 4 -> CudaKernel.GATHER_B32;
            case 8 -> CudaKernel.GATHER_B64;
            default -> throw unsupported("Gather of " + type);
        };
    }

    /** Bytes per element of a device type. */
    static int width(DataType type) {
        return switch (type) {
            case FP32, INT32 -> 4;
            case INT64 -> 8;
            case BOOL -> 1;
            default -> throw unsupported(type + " on the device");
        };
    }

    private static String code(DataType type) {
        return switch (type) {
            case FP32 -> "F32";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case BOOL -> "U8";
            default -> throw unsupported(type + " on the device");
        };
    }

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " has no CUDA kernel");
    }
}
