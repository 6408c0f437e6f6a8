package io.trims.registry;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.trims.directory.TensorSpec;
import io.trims.protocol.tensor.DataType;
import io.trims.testmodels.OnnxGraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The signature trims' reader gives a file is the one ONNX Runtime reports for it, which records held before. */
class SignaturesMatchOnnxRuntimeTest {

    private static final Map<String, String> V2_NAMES =
            Map.of("FLOAT", "FP32", "DOUBLE", "FP64", "FLOAT16", "FP16", "BFLOAT16", "BF16", "STRING", "BYTES");

    @TempDir
    Path dir;

    /** Reads {@code file} with trims' reader and with ONNX Runtime, and checks both say the same. */
    private static OnnxSignatures.Signature assertSameSignature(Path file) throws Exception {
        OnnxSignatures.Signature ours = OnnxSignatures.of(OnnxModelFile.read(file));
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), options)) {
                assertEquals(specs(session.getInputInfo()), ours.inputs(), "inputs");
                assertEquals(specs(session.getOutputInfo()), ours.outputs(), "outputs");
            }
        }
        return ours;
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        return nodes.values().stream().map(node -> {
            TensorInfo tensor = (TensorInfo) node.getInfo();
            String onnx = tensor.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "");
            return new TensorSpec(node.getName(), V2_NAMES.getOrDefault(onnx, onnx), tensor.getShape());
        }).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2.onnx", "bge-small-en-v1.5.onnx"})
    void realEncoders(String resource) throws Exception {
        Path file = dir.resolve(resource);
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is on the test class path");
            Files.copy(in, file);
        }
        OnnxSignatures.Signature signature = assertSameSignature(file);
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"),
                signature.inputs().stream().map(TensorSpec::name).toList());
        assertFalse(signature.outputs().isEmpty());
    }

    @Test
    void everyElementTypeAnIdentityCarries() throws Exception {
        TensorProto.DataType[] types = {TensorProto.DataType.FLOAT, TensorProto.DataType.DOUBLE,
                TensorProto.DataType.FLOAT16, TensorProto.DataType.BFLOAT16, TensorProto.DataType.STRING,
                TensorProto.DataType.BOOL, TensorProto.DataType.INT8, TensorProto.DataType.UINT8,
                TensorProto.DataType.INT16, TensorProto.DataType.UINT16, TensorProto.DataType.INT32,
                TensorProto.DataType.UINT32, TensorProto.DataType.INT64, TensorProto.DataType.UINT64};
        OnnxGraphBuilder builder = new OnnxGraphBuilder(13);
        for (int i = 0; i < types.length; i++) {
            builder.input("x" + i, DataType.FP32, "N", 2).output("y" + i, DataType.FP32, "N", 2)
                    .node("Identity", "y" + i, new String[]{"x" + i});
        }
        ModelProto.Builder model = ModelProto.parseFrom(builder.bytes()).toBuilder();
        for (int i = 0; i < types.length; i++) {
            model.getGraphBuilder().getInputBuilder(i).getTypeBuilder().getTensorTypeBuilder()
                    .setElemType(types[i].getNumber());
            model.getGraphBuilder().getOutputBuilder(i).getTypeBuilder().getTensorTypeBuilder()
                    .setElemType(types[i].getNumber());
        }
        assertEquals(List.of("FP32", "FP64", "FP16", "BF16", "BYTES", "BOOL", "INT8", "UINT8", "INT16", "UINT16",
                        "INT32", "UINT32", "INT64", "UINT64"),
                assertSameSignature(write(model.build())).inputs().stream().map(TensorSpec::datatype).toList());
    }

    @Test
    void initializersAmongTheInputsAndDimensionsOfEveryKind() throws Exception {
        ModelProto.Builder model = ModelProto.parseFrom(new OnnxGraphBuilder(13)
                .input("X", DataType.FP32, "batch", 2).input("W", DataType.FP32, 2, 3)
                .initializer(OnnxGraphBuilder.floats("W", new float[]{1, 2, 3, 4, 5, 6}, 2, 3))
                .input("V", DataType.FP32, 4)
                .output("Y", DataType.FP32, "batch", 3).output("Z", DataType.FP32, "rows", 4)
                .node("MatMul", "Y", new String[]{"X", "W"}).node("Relu", "Z", new String[]{"V"}).bytes()).toBuilder();
        // A dimension with neither a size nor a name, in front of V's fixed one.
        model.getGraphBuilder().getInputBuilder(2).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .addDim(0, TensorShapeProto.Dimension.getDefaultInstance());
        OnnxSignatures.Signature signature = assertSameSignature(write(model.build()));
        assertEquals(List.of(new TensorSpec("X", "FP32", new long[]{-1, 2}), new TensorSpec("V", "FP32", new long[]{-1, 4})),
                signature.inputs());
    }

    private Path write(ModelProto model) throws Exception {
        return Files.write(Files.createTempFile(dir, "model-", ".onnx"), model.toByteArray());
    }
}
