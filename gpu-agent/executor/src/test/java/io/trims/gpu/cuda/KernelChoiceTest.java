package io.trims.gpu.cuda;

import io.trims.gpu.exec.BinaryOp;
import io.trims.gpu.exec.UnaryOp;
import io.trims.protocol.tensor.DataType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every operator and type the Kernels seam promises has a CUDA kernel. */
class KernelChoiceTest {

    private static final List<DataType> DEVICE_TYPES = List.of(DataType.FP32, DataType.INT64, DataType.INT32,
            DataType.BOOL);

    @Test
    void everyPromisedBinaryAndUnaryOperatorHasAKernel() {
        for (BinaryOp op : BinaryOp.values()) {
            assertNotNull(KernelChoice.binary(op, DataType.FP32));
        }
        for (BinaryOp op : List.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.EQUAL)) {
            assertEquals(DataType.INT64, typeOfFirstOperand(KernelChoice.binary(op, DataType.INT64)));
        }
        for (UnaryOp op : UnaryOp.values()) {
            assertEquals(op.name().toLowerCase() + "_f32", KernelChoice.unary(op).entry());
        }
        assertEquals(CudaKernel.WHERE_I64, KernelChoice.where(DataType.INT64));
        assertThrows(UnsupportedOperationException.class, () -> KernelChoice.binary(BinaryOp.POW, DataType.INT64));
    }

    @Test
    void everyCastBetweenDeviceTypesHasAKernel() {
        for (DataType from : DEVICE_TYPES) {
            for (DataType to : DEVICE_TYPES) {
                if (from != to) {
                    assertNotNull(KernelChoice.cast(from, to), from + " -> " + to);
                }
            }
        }
        assertThrows(UnsupportedOperationException.class, () -> KernelChoice.cast(DataType.FP64, DataType.FP32));
    }

    @Test
    void dataMovementGoesByElementWidth() {
        assertEquals(CudaKernel.STRIDED_COPY_B8, KernelChoice.stridedCopy(DataType.BOOL));
        assertEquals(CudaKernel.STRIDED_COPY_B32, KernelChoice.stridedCopy(DataType.INT32));
        assertEquals(CudaKernel.STRIDED_COPY_B64, KernelChoice.stridedCopy(DataType.INT64));
        assertEquals(CudaKernel.GATHER_B32, KernelChoice.gather(DataType.FP32));
        assertEquals(CudaKernel.GATHER_B8, KernelChoice.gather(DataType.BOOL));
    }

    private static DataType typeOfFirstOperand(CudaKernel k) {
        return k.entry().endsWith("_i64") ? DataType.INT64 : DataType.FP32;
    }
}
