package io.trims.registry;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.trims.protocol.tensor.DataType;
import io.trims.testmodels.OnnxGraphBuilder;
import io.trims.testmodels.OnnxModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OnnxModelFileTest {

    @TempDir
    Path dir;

    private Path file(byte[] bytes) throws Exception {
        return Files.write(Files.createTempFile(dir, "upload-", ".onnx"), bytes);
    }

    private void assertNotAModel(byte[] bytes, String what) throws Exception {
        Path file = file(bytes);
        NotAModelException e = assertThrows(NotAModelException.class, () -> OnnxModelFile.read(file));
        assertEquals("not a valid ONNX model: " + what, e.getMessage());
        assertFalse(e.getMessage().contains(dir.toString()), "the client is not told where the spool is");
    }

    @Test
    void aModelIsReadAsWritten() throws Exception {
        float[] weights = new float[64 * 64];
        Arrays.fill(weights, 0.5f);
        byte[] bytes = new OnnxGraphBuilder(13).input("X", DataType.FP32, "N", 64)
                .initializer(OnnxGraphBuilder.floats("W", weights, 64, 64))
                .output("Y", DataType.FP32, "N", 64).node("MatMul", "Y", new String[]{"X", "W"}).bytes();
        ModelProto model = OnnxModelFile.read(file(bytes));
        assertEquals(ModelProto.parseFrom(bytes), model);
    }

    @Test
    void garbageIsNotAModel() throws Exception {
        assertNotAModel("this is not protobuf at all".getBytes(StandardCharsets.UTF_8),
                "the file cannot be decoded as ONNX protobuf: it is truncated or not ONNX");
    }

    @Test
    void aTruncatedModelIsNotAModel() throws Exception {
        byte[] model = OnnxModels.matMulAdd(16, 8, 1);
        assertNotAModel(Arrays.copyOf(model, model.length / 2),
                "the file cannot be decoded as ONNX protobuf: it is truncated or not ONNX");
    }

    @Test
    void anEmptyFileIsNotAModel() throws Exception {
        assertNotAModel(new byte[0], "the file is empty");
    }

    @Test
    void aGraphWithoutItsModelIsNotAModel() throws Exception {
        byte[] graph = ModelProto.parseFrom(OnnxModels.relu(3)).getGraph().toByteArray();
        assertNotAModel(graph, "the file has no IR version, so it is not an ONNX ModelProto");
    }

    @Test
    void aModelWithoutGraphOrOperatorSetIsNotAModel() throws Exception {
        ModelProto relu = ModelProto.parseFrom(OnnxModels.relu(3));
        assertNotAModel(relu.toBuilder().clearGraph().build().toByteArray(), "the file holds no graph");
        assertNotAModel(relu.toBuilder().clearOpsetImport().build().toByteArray(), "the model imports no operator set");
    }

    @Test
    void aNameNothingDefinesIsNotAModel() throws Exception {
        assertNotAModel(new OnnxGraphBuilder(13).input("A", DataType.FP32, 2).output("Y", DataType.FP32, 2)
                        .node("Add", "Y", new String[]{"A", "B"}).bytes(),
                "node '/Add/Y' reads 'B', which no graph input, initializer or node defines");
        assertNotAModel(new OnnxGraphBuilder(13).input("A", DataType.FP32, 2).output("Z", DataType.FP32, 2)
                        .node("Relu", "Y", new String[]{"A"}).bytes(),
                "graph output 'Z' is not a graph input, an initializer or any node's output");
    }
}
