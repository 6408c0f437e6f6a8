package io.trims.protocol;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class V2CodecTest {

    private static final ModelRecord BERT = new ModelRecord("bert", "1", "models/bert/1/model.onnx", "ab", 10,
            List.of(new TensorSpec("input_ids", "INT64", new long[]{-1, -1}),
                    new TensorSpec("attention_mask", "INT64", new long[]{-1, -1})),
            List.of(new TensorSpec("last_hidden_state", "FP32", new long[]{-1, -1, 384})), 1000L);

    private static final ModelRecord DENSE = new ModelRecord("dense", "2", "k", "cd", 10,
            List.of(new TensorSpec("x", "FP32", new long[]{-1, 4})),
            List.of(new TensorSpec("y", "FP32", new long[]{-1, 2})), 1000L);

    private static InferRequest parse(String json) {
        return V2Codec.parseRequest(Buffer.buffer(json));
    }

    private static V2Exception rejected(String json) {
        return assertThrows(V2Exception.class, () -> parse(json));
    }

    @Test
    void parsesFlatAndNestedDataRowMajor() {
        InferRequest request = parse("""
                {"id": "r1", "inputs": [
                  {"name": "a", "shape": [2, 3], "datatype": "FP32", "data": [[1, 2, 3], [4.5, 5, 6]]},
                  {"name": "b", "shape": [3], "datatype": "INT32", "data": [7, 8, 9]},
                  {"name": "c", "shape": [2], "datatype": "BOOL", "data": [true, false]}],
                 "outputs": [{"name": "y"}]}""");
        assertEquals("r1", request.id());
        assertEquals(List.of("y"), request.requestedOutputs());
        Tensor a = request.inputs().get(0);
        assertEquals(DataType.FP32, a.type());
        assertArrayEquals(new long[]{2, 3}, a.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4.5f, 5, 6}, (float[]) a.data());
        assertArrayEquals(new int[]{7, 8, 9}, (int[]) request.inputs().get(1).data());
        assertArrayEquals(new boolean[]{true, false}, (boolean[]) request.inputs().get(2).data());
    }

    @Test
    void idAndOutputsAreOptional() {
        InferRequest request = parse("{\"inputs\": [{\"name\": \"x\", \"shape\": [], \"datatype\": \"FP64\", \"data\": [2.5]}]}");
        assertNull(request.id());
        assertTrue(request.requestedOutputs().isEmpty());
        assertArrayEquals(new double[]{2.5}, (double[]) request.inputs().get(0).data());
    }

    @Test
    void int64IsExactBeyondDoublePrecision() {
        InferRequest request = parse("{\"inputs\": [{\"name\": \"x\", \"shape\": [3], \"datatype\": \"INT64\","
                + " \"data\": [9007199254740993, 9223372036854775807, -9223372036854775808]}]}");
        assertArrayEquals(new long[]{9007199254740993L, Long.MAX_VALUE, Long.MIN_VALUE},
                (long[]) request.inputs().get(0).data());
    }

    @Test
    void smallIntegerTypesAreRangeChecked() {
        InferRequest request = parse("{\"inputs\": [{\"name\": \"u\", \"shape\": [2], \"datatype\": \"UINT8\", \"data\": [0, 255]},"
                + "{\"name\": \"s\", \"shape\": [2], \"datatype\": \"INT16\", \"data\": [-32768, 32767]}]}");
        assertArrayEquals(new byte[]{0, (byte) 255}, (byte[]) request.inputs().get(0).data());
        assertArrayEquals(new short[]{-32768, 32767}, (short[]) request.inputs().get(1).data());
        V2Exception e = rejected("{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"INT8\", \"data\": [1, 128]}]}");
        assertEquals("input 'x': element 1 (128) is out of range for INT8", e.getMessage());
        e = rejected("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [9223372036854775808]}]}");
        assertTrue(e.getMessage().contains("out of range for INT64"), e.getMessage());
    }

    @Test
    void malformedJsonIs400() {
        V2Exception e = rejected("{\"inputs\": [");
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("malformed JSON: "), e.getMessage());
        assertTrue(rejected("").getMessage().startsWith("malformed JSON"));
        assertTrue(rejected("[1, 2]").getMessage().startsWith("malformed JSON"));
    }

    @Test
    void inputsMustBeAnArray() {
        assertEquals("inputs is missing", rejected("{}").getMessage());
        assertEquals("inputs must be an array", rejected("{\"inputs\": {}}").getMessage());
        assertEquals("inputs[0] must be an object", rejected("{\"inputs\": [3]}").getMessage());
    }

    @Test
    void eachInputNeedsNameShapeDatatypeAndData() {
        assertEquals("inputs[0] needs a name",
                rejected("{\"inputs\": [{\"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}").getMessage());
        assertEquals("input 'x': shape is missing",
                rejected("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [1]}]}").getMessage());
        assertTrue(rejected("{\"inputs\": [{\"name\": \"x\", \"shape\": [-1], \"datatype\": \"FP32\", \"data\": [1]}]}")
                .getMessage().startsWith("input 'x': shape must be an array of non-negative integers"));
        assertTrue(rejected("{\"inputs\": [{\"name\": \"x\", \"shape\": [1.5], \"datatype\": \"FP32\", \"data\": [1]}]}")
                .getMessage().startsWith("input 'x': shape must be an array of non-negative integers"));
        assertEquals("input 'x': datatype is missing",
                rejected("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"data\": [1]}]}").getMessage());
        assertEquals("input 'x': unsupported datatype 'FOO'",
                rejected("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FOO\", \"data\": [1]}]}").getMessage());
        assertEquals("input 'x': data is missing",
                rejected("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\"}]}").getMessage());
        assertEquals("input 'x' is given twice", rejected("{\"inputs\": ["
                + "{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]},"
                + "{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}").getMessage());
    }

    @Test
    void wrongKindOfValueNamesInputAndElement() {
        assertEquals("input 'ids': element 1 (\"abc\") is not a valid INT64 value", rejected(
                "{\"inputs\": [{\"name\": \"ids\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": [1, \"abc\"]}]}").getMessage());
        assertEquals("input 'ids': element 0 (1.5) is not a valid INT64 value", rejected(
                "{\"inputs\": [{\"name\": \"ids\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [1.5]}]}").getMessage());
        assertEquals("input 'x': element 2 (true) is not a valid FP32 value", rejected(
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1, 2, true]}]}").getMessage());
        assertEquals("input 'b': element 0 (1) is not a valid BOOL value", rejected(
                "{\"inputs\": [{\"name\": \"b\", \"shape\": [1], \"datatype\": \"BOOL\", \"data\": [1]}]}").getMessage());
    }

    @Test
    void elementCountMustMatchShape() {
        V2Exception e = rejected("{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4, 5]}]}");
        assertEquals(400, e.status());
        assertEquals("input 'x': shape [2,3] needs 6 values, got 5", e.getMessage());
    }

    @Test
    void outputsFilterNeedsNames() {
        assertEquals("outputs[0] needs a name", rejected("{\"inputs\": [], \"outputs\": [{}]}").getMessage());
        assertEquals("outputs must be an array", rejected("{\"inputs\": [], \"outputs\": \"y\"}").getMessage());
    }

    private static InferRequest bertRequest(String maskType, String maskShape) {
        return parse("{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 3], \"datatype\": \"INT64\", \"data\": [1, 2, 3]},"
                + "{\"name\": \"attention_mask\", \"shape\": " + maskShape + ", \"datatype\": \"" + maskType
                + "\", \"data\": [1, 1, 1]}]}");
    }

    @Test
    void requestMatchingTheSignatureIsAccepted() {
        V2Codec.validateAgainst(bertRequest("INT64", "[1, 3]"), BERT);
        V2Codec.validateAgainst(parse("{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 4], \"datatype\": \"FP32\","
                + " \"data\": [1, 2, 3, 4, 5, 6, 7, 8]}], \"outputs\": [{\"name\": \"y\"}]}"), DENSE);
    }

    @Test
    void signatureMismatchesAre400() {
        V2Exception missing = assertThrows(V2Exception.class, () -> V2Codec.validateAgainst(
                parse("{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 1], \"datatype\": \"INT64\", \"data\": [1]}]}"), BERT));
        assertEquals(400, missing.status());
        assertEquals("missing input 'attention_mask'", missing.getMessage());

        V2Exception unknown = assertThrows(V2Exception.class, () -> V2Codec.validateAgainst(
                parse("{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]},"
                        + "{\"name\": \"z\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}"), DENSE));
        assertEquals("unknown input 'z'; model 'dense' takes [x]", unknown.getMessage());

        V2Exception type = assertThrows(V2Exception.class,
                () -> V2Codec.validateAgainst(bertRequest("FP32", "[1, 3]"), BERT));
        assertEquals("input 'attention_mask': model expects INT64, got FP32", type.getMessage());

        V2Exception rank = assertThrows(V2Exception.class,
                () -> V2Codec.validateAgainst(bertRequest("INT64", "[3]"), BERT));
        assertEquals("input 'attention_mask': model expects shape [-1,-1] (rank 2), got [3]", rank.getMessage());

        V2Exception dim = assertThrows(V2Exception.class, () -> V2Codec.validateAgainst(
                parse("{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4, 5, 6]}]}"), DENSE));
        assertEquals("input 'x': dimension 1 must be 4 (model expects shape [-1,4]), got [2,3]", dim.getMessage());

        V2Exception output = assertThrows(V2Exception.class, () -> V2Codec.validateAgainst(
                parse("{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}],"
                        + " \"outputs\": [{\"name\": \"logits\"}]}"), DENSE));
        assertEquals("unknown output 'logits'; model 'dense' has [y]", output.getMessage());
    }

    @Test
    void responseIsFlatV2() {
        JsonObject response = V2Codec.formatResponse("dense", "2", "r7", List.of(
                new Tensor("y", DataType.FP32, new long[]{2, 2}, new float[]{0.5f, 1, 2, 3}),
                new Tensor("u", DataType.UINT8, new long[]{2}, new byte[]{(byte) 200, 1}),
                new Tensor("l", DataType.INT64, new long[]{1}, new long[]{Long.MAX_VALUE})));
        JsonObject reparsed = Buffer.buffer(response.encode()).toJsonObject();
        assertEquals("dense", reparsed.getString("model_name"));
        assertEquals("2", reparsed.getString("model_version"));
        assertEquals("r7", reparsed.getString("id"));
        JsonObject y = reparsed.getJsonArray("outputs").getJsonObject(0);
        assertEquals("y", y.getString("name"));
        assertEquals("FP32", y.getString("datatype"));
        assertEquals(new JsonArray().add(2).add(2), y.getJsonArray("shape"));
        assertEquals(List.of(0.5, 1.0, 2.0, 3.0), y.getJsonArray("data").stream().map(v -> ((Number) v).doubleValue()).toList());
        assertEquals(List.of(200, 1), reparsed.getJsonArray("outputs").getJsonObject(1).getJsonArray("data").getList());
        assertEquals(Long.MAX_VALUE, reparsed.getJsonArray("outputs").getJsonObject(2).getJsonArray("data").getLong(0));
        assertFalse(V2Codec.formatResponse("dense", "2", null, List.of()).containsKey("id"));
    }

    @Test
    void metadataNamesVersionsAndSignature() {
        JsonObject metadata = V2Codec.metadata(BERT, List.of("1", "2"));
        assertEquals("bert", metadata.getString("name"));
        assertEquals(List.of("1", "2"), metadata.getJsonArray("versions").getList());
        assertEquals("onnxruntime_onnx", metadata.getString("platform"));
        JsonObject ids = metadata.getJsonArray("inputs").getJsonObject(0);
        assertEquals("input_ids", ids.getString("name"));
        assertEquals("INT64", ids.getString("datatype"));
        assertEquals(List.of(-1L, -1L), ids.getJsonArray("shape").stream().map(v -> ((Number) v).longValue()).toList());
        JsonObject out = metadata.getJsonArray("outputs").getJsonObject(0);
        assertEquals("last_hidden_state", out.getString("name"));
        assertEquals(384L, out.getJsonArray("shape").getLong(2));
        assertEquals(new JsonObject().put("gpu", true), metadata.getJsonObject("parameters"));
    }

    @Test
    void metadataSaysWhyAModelIsCpuOnly() {
        JsonObject metadata = V2Codec.metadata(BERT.withGpuUnsupportedReason("operator LSTM has no GPU kernel"), List.of("1"));
        assertEquals(new JsonObject().put("gpu", false).put("gpu_unsupported_reason", "operator LSTM has no GPU kernel"),
                metadata.getJsonObject("parameters"));
    }

    @Test
    void emptyTensorsAreRejectedBeforeTheRun() {
        for (String shape : List.of("[0, 4611686018427387904]", "[1099511627776, 0]")) {
            InferRequest request = parse("{\"inputs\": [{\"name\": \"input_ids\", \"shape\": " + shape
                    + ", \"datatype\": \"INT64\", \"data\": []},"
                    + "{\"name\": \"attention_mask\", \"shape\": [1, 1], \"datatype\": \"INT64\", \"data\": [1]}]}");
            V2Exception e = assertThrows(V2Exception.class, () -> V2Codec.validateAgainst(request, BERT));
            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith("input 'input_ids': dimension ")
                    && e.getMessage().endsWith(": an empty tensor is not a meaningful inference request"), e.getMessage());
        }
    }
}
