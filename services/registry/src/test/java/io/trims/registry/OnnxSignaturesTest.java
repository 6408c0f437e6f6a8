package io.trims.registry;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trims.directory.TensorSpec;
import io.trims.protocol.tensor.DataType;
import io.trims.testmodels.OnnxGraphBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OnnxSignaturesTest {

    private static OnnxSignatures.Signature signature(byte[] model) throws InvalidProtocolBufferException {
        return OnnxSignatures.of(ModelProto.parseFrom(model));
    }

    private static void assertNotServable(byte[] model, String what) {
        NotAModelException e = assertThrows(NotAModelException.class, () -> signature(model));
        assertEquals("not a valid ONNX model: " + what, e.getMessage());
    }

    /** One input per type and shape, each passed through an Identity to an output of its own. */
    private static OnnxGraphBuilder identities(Object[][] inputs) {
        OnnxGraphBuilder builder = new OnnxGraphBuilder(13);
        for (Object[] in : inputs) {
            String name = (String) in[0];
            Object[] dims = (Object[]) in[2];
            builder.input(name, (DataType) in[1], dims).output(name + "_out", (DataType) in[1], dims)
                    .node("Identity", name + "_out", new String[]{name});
        }
        return builder;
    }

    @Test
    void fixedAndDynamicDimensionsOfSeveralTypesInGraphOrder() throws Exception {
        byte[] model = identities(new Object[][]{
                {"input_ids", DataType.INT64, new Object[]{"batch", "sequence"}},
                {"mask", DataType.BOOL, new Object[]{"batch", 128}},
                {"image", DataType.UINT8, new Object[]{1, 3, 224, 224}},
                {"scale", DataType.FP64, new Object[]{}},
                {"codes", DataType.INT8, new Object[]{"N", 4}},
                {"counts", DataType.INT32, new Object[]{7}},
                {"half_words", DataType.INT16, new Object[]{2, "M"}},
                {"x", DataType.FP32, new Object[]{"N", 3}},
        }).bytes();
        OnnxSignatures.Signature signature = signature(model);
        assertEquals(List.of(
                new TensorSpec("input_ids", "INT64", new long[]{-1, -1}),
                new TensorSpec("mask", "BOOL", new long[]{-1, 128}),
                new TensorSpec("image", "UINT8", new long[]{1, 3, 224, 224}),
                new TensorSpec("scale", "FP64", new long[]{}),
                new TensorSpec("codes", "INT8", new long[]{-1, 4}),
                new TensorSpec("counts", "INT32", new long[]{7}),
                new TensorSpec("half_words", "INT16", new long[]{2, -1}),
                new TensorSpec("x", "FP32", new long[]{-1, 3})), signature.inputs());
        assertEquals(List.of("input_ids_out", "mask_out", "image_out", "scale_out", "codes_out", "counts_out",
                "half_words_out", "x_out"), signature.outputs().stream().map(TensorSpec::name).toList());
        assertEquals(new TensorSpec("image_out", "UINT8", new long[]{1, 3, 224, 224}), signature.outputs().get(2));
    }

    @Test
    void typesTheGpuExecutorDoesNotHoldKeepTheirV2Names() throws Exception {
        ModelProto.Builder model = ModelProto.parseFrom(identities(new Object[][]{
                {"half", DataType.FP32, new Object[]{"N"}},
                {"brain", DataType.FP32, new Object[]{"N"}},
                {"text", DataType.FP32, new Object[]{"N"}},
                {"u16", DataType.FP32, new Object[]{"N"}},
                {"u32", DataType.FP32, new Object[]{"N"}},
                {"u64", DataType.FP32, new Object[]{"N"}},
        }).bytes()).toBuilder();
        TensorProto.DataType[] types = {TensorProto.DataType.FLOAT16, TensorProto.DataType.BFLOAT16,
                TensorProto.DataType.STRING, TensorProto.DataType.UINT16, TensorProto.DataType.UINT32,
                TensorProto.DataType.UINT64};
        for (int i = 0; i < types.length; i++) {
            model.getGraphBuilder().getInputBuilder(i).getTypeBuilder().getTensorTypeBuilder()
                    .setElemType(types[i].getNumber());
        }
        assertEquals(List.of("FP16", "BF16", "BYTES", "UINT16", "UINT32", "UINT64"),
                OnnxSignatures.of(model.build()).inputs().stream().map(TensorSpec::datatype).toList());
    }

    @Test
    void initializersListedAmongTheInputsAreNotInputs() throws Exception {
        byte[] model = new OnnxGraphBuilder(13).input("X", DataType.FP32, "N", 2).input("W", DataType.FP32, 2, 2)
                .initializer(OnnxGraphBuilder.floats("W", new float[]{1, 0, 0, 1}, 2, 2))
                .output("Y", DataType.FP32, "N", 2).node("MatMul", "Y", new String[]{"X", "W"}).bytes();
        assertEquals(List.of(new TensorSpec("X", "FP32", new long[]{-1, 2})), signature(model).inputs());
    }

    @Test
    void anOutputOfUnknownRankHasNoDimensions() throws Exception {
        byte[] model = new OnnxGraphBuilder(13).input("X", DataType.FP32, "N").unshapedOutput("Y", DataType.FP32)
                .node("Relu", "Y", new String[]{"X"}).bytes();
        assertEquals(List.of(new TensorSpec("Y", "FP32", new long[]{})), signature(model).outputs());
    }

    @Test
    void aGraphFedOnlyByInitializersHasNoInputs() {
        byte[] model = new OnnxGraphBuilder(13).input("W", DataType.FP32, 2)
                .initializer(OnnxGraphBuilder.floats("W", new float[]{1, 2}, 2))
                .output("Y", DataType.FP32, 2).node("Relu", "Y", new String[]{"W"}).bytes();
        assertNotServable(model, "the graph has no inputs (initializers are not inputs)");
    }

    @Test
    void aGraphWithoutOutputsIsNotServable() {
        byte[] model = new OnnxGraphBuilder(13).input("X", DataType.FP32, 2).node("Relu", "Y", new String[]{"X"}).bytes();
        assertNotServable(model, "the graph has no outputs");
    }

    @Test
    void anInputThatIsNotATensorIsNotServable() throws Exception {
        ModelProto.Builder model = ModelProto.parseFrom(new OnnxGraphBuilder(13).input("X", DataType.FP32, 2)
                .output("Y", DataType.FP32, 2).node("Relu", "Y", new String[]{"X"}).bytes()).toBuilder();
        TypeProto tensor = model.getGraph().getInput(0).getType();
        model.getGraphBuilder().getInputBuilder(0)
                .setType(TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(tensor)));
        assertNotServable(model.build().toByteArray(), "input 'X' is not a tensor (it is sequence type)");
    }

    @Test
    void anElementTypeWithoutAV2DatatypeIsNotServable() throws Exception {
        ModelProto.Builder model = ModelProto.parseFrom(new OnnxGraphBuilder(13).input("X", DataType.FP32, 2)
                .output("Y", DataType.FP32, 2).node("Relu", "Y", new String[]{"X"}).bytes()).toBuilder();
        model.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().setElemType(0);
        assertNotServable(model.build().toByteArray(), "output 'Y' has element type 0, which has no v2 datatype");
        model.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().setElemType(99);
        assertNotServable(model.build().toByteArray(), "output 'Y' has element type 99, which has no v2 datatype");
    }
}
