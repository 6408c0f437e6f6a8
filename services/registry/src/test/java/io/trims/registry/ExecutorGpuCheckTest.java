package io.trims.registry;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.trims.protocol.tensor.DataType;
import io.trims.testmodels.OnnxGraphBuilder;
import io.trims.testmodels.OnnxModels;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExecutorGpuCheckTest {

    private static Optional<String> reason(byte[] model) throws Exception {
        return GpuCheck.executor().unsupportedReason(ModelProto.parseFrom(model));
    }

    @Test
    void aModelOfKernelsTheExecutorHasRunsOnTheGpu() throws Exception {
        assertEquals(Optional.empty(), reason(OnnxModels.relu(4)));
    }

    @Test
    void anOperatorWithoutAGpuKernelKeepsTheModelOnTheCpu() throws Exception {
        assertEquals(Optional.of("operator Floor (node /Floor/Y) has no GPU kernel"),
                reason(new OnnxGraphBuilder(13).input("X", DataType.FP32, "N", 3).output("Y", DataType.FP32, "N", 3)
                        .node("Floor", "Y", new String[]{"X"}).bytes()));
    }

    @Test
    void aModelTheExecutorCannotReadKeepsItsCpuPlace() throws Exception {
        ModelProto.Builder half = ModelProto.parseFrom(OnnxModels.identity(DataType.FP32)).toBuilder();
        half.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder()
                .setElemType(TensorProto.DataType.FLOAT16.getNumber());
        assertEquals(Optional.of("the GPU executor cannot read the model: ONNX element type 10 is not supported"),
                GpuCheck.executor().unsupportedReason(half.build()));
    }
}
