package io.trims.protocol;

import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ModelConfigJsonTest {

    private static final ModelRecord BERT = new ModelRecord("bert", "3", "models/bert/3.onnx", "ab12", 10,
            List.of(new TensorSpec("input_ids", "INT64", new long[]{-1, -1}),
                    new TensorSpec("mask", "BOOL", new long[]{-1, 8})),
            List.of(new TensorSpec("hidden", "FP32", new long[]{-1, -1, 384}),
                    new TensorSpec("label", "BYTES", new long[]{1})), 1000L, "operator Erf is not supported");

    @Test
    void theSignatureBecomesTritonsInputsAndOutputsWithDynamicDimsAsMinusOne() {
        JsonObject config = ModelConfigJson.of(BERT);
        assertEquals("bert", config.getString("name"));
        assertEquals("onnxruntime_onnx", config.getString("platform"));
        assertEquals("onnxruntime", config.getString("backend"));
        assertEquals(0, config.getInteger("max_batch_size"));
        JsonArray inputs = config.getJsonArray("input");
        assertEquals("input_ids", inputs.getJsonObject(0).getString("name"));
        assertEquals("TYPE_INT64", inputs.getJsonObject(0).getString("data_type"));
        assertEquals(new JsonArray().add(-1).add(-1), inputs.getJsonObject(0).getJsonArray("dims"));
        assertEquals("TYPE_BOOL", inputs.getJsonObject(1).getString("data_type"));
        assertEquals(new JsonArray().add(-1).add(8), inputs.getJsonObject(1).getJsonArray("dims"));
        JsonArray outputs = config.getJsonArray("output");
        assertEquals(new JsonArray().add(-1).add(-1).add(384), outputs.getJsonObject(0).getJsonArray("dims"));
        assertEquals("TYPE_STRING", outputs.getJsonObject(1).getString("data_type"), "v2 BYTES is Triton's STRING");
        assertEquals("KIND_CPU", config.getJsonArray("instance_group").getJsonObject(0).getString("kind"),
                "a model the GPU executor cannot run is served from the CPU tier");
        assertEquals(new JsonObject().put("all", new JsonObject()), config.getJsonObject("version_policy"));
        assertEquals(false, config.getJsonObject("model_transaction_policy").getBoolean("decoupled"));
    }

    @Test
    void everyV2DatatypeHasItsTritonName() {
        List<String> v2 = List.of("BOOL", "UINT8", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES",
                "BF16");
        List<String> triton = List.of("TYPE_BOOL", "TYPE_UINT8", "TYPE_INT8", "TYPE_INT16", "TYPE_INT32", "TYPE_INT64",
                "TYPE_FP16", "TYPE_FP32", "TYPE_FP64", "TYPE_STRING", "TYPE_BF16");
        assertEquals(triton, v2.stream().map(ModelConfigJson::tritonType).toList());
        assertEquals("TYPE_FP32", ModelConfigJson.tritonType("fp32"));
        assertEquals("TYPE_INVALID", ModelConfigJson.tritonType("COMPLEX64"));
    }
}
