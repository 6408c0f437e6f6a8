package io.trims.protocol;

import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Map;

/**
 * A Triton-style model configuration (the JSON form of Triton's {@code ModelConfig}), derived from a registered
 * version's signature: what {@code GET /v2/models/{m}[/versions/{v}]/config} answers, so that tritonclient's
 * {@code get_model_config} and perf_analyzer (which reads {@code max_batch_size} and each input's {@code data_type}
 * and {@code dims}) work against trims. trims does no server-side batching: {@code max_batch_size} is 0 and the
 * dims are the full shape, -1 marking a dynamic dimension.
 */
public final class ModelConfigJson {

    /** Triton's backend name for ONNX models. */
    public static final String BACKEND = "onnxruntime";

    /** v2 datatype names to Triton's {@code DataType} names; v2 BYTES is Triton's TYPE_STRING. */
    private static final Map<String, String> TRITON_TYPES = Map.ofEntries(
            Map.entry("BOOL", "TYPE_BOOL"),
            Map.entry("UINT8", "TYPE_UINT8"),
            Map.entry("UINT16", "TYPE_UINT16"),
            Map.entry("UINT32", "TYPE_UINT32"),
            Map.entry("UINT64", "TYPE_UINT64"),
            Map.entry("INT8", "TYPE_INT8"),
            Map.entry("INT16", "TYPE_INT16"),
            Map.entry("INT32", "TYPE_INT32"),
            Map.entry("INT64", "TYPE_INT64"),
            Map.entry("FP16", "TYPE_FP16"),
            Map.entry("FP32", "TYPE_FP32"),
            Map.entry("FP64", "TYPE_FP64"),
            Map.entry("BYTES", "TYPE_STRING"),
            Map.entry("BF16", "TYPE_BF16"));

    private ModelConfigJson() {
    }

    public static JsonObject of(ModelRecord model) {
        JsonArray inputs = new JsonArray();
        model.inputs().forEach(spec -> inputs.add(tensor(spec)
                .put("format", "FORMAT_NONE")
                .put("is_shape_tensor", false)
                .put("allow_ragged_batch", false)
                .put("optional", false)));
        JsonArray outputs = new JsonArray();
        model.outputs().forEach(spec -> outputs.add(tensor(spec)
                .put("label_filename", "")
                .put("is_shape_tensor", false)));
        // GPU-capable models run wherever placement finds them fastest, GPU or CPU: Triton's KIND_AUTO.
        String kind = model.gpuCapable() ? "KIND_AUTO" : "KIND_CPU";
        return new JsonObject()
                .put("name", model.name())
                .put("platform", V2Codec.PLATFORM)
                .put("backend", BACKEND)
                // Every registered version is served; which one runs is the one a request names (or the newest).
                .put("version_policy", new JsonObject().put("all", new JsonObject()))
                .put("max_batch_size", 0)
                .put("input", inputs)
                .put("output", outputs)
                .put("instance_group", new JsonArray().add(new JsonObject()
                        .put("name", model.name())
                        .put("kind", kind)
                        .put("count", 1)))
                .put("model_transaction_policy", new JsonObject().put("decoupled", false))
                .put("parameters", new JsonObject()
                        .put("trims_version", stringParameter(model.version()))
                        .put("trims_sha256", stringParameter(model.sha256())));
    }

    /** Triton's data type name of a v2 datatype, TYPE_INVALID for one it has no name for. */
    public static String tritonType(String v2Datatype) {
        return TRITON_TYPES.getOrDefault(v2Datatype.toUpperCase(Locale.ROOT), "TYPE_INVALID");
    }

    private static JsonObject tensor(TensorSpec spec) {
        JsonArray dims = new JsonArray();
        for (long d : spec.shape()) {
            dims.add(d < 0 ? -1 : d);
        }
        return new JsonObject().put("name", spec.name()).put("data_type", tritonType(spec.datatype())).put("dims", dims);
    }

    /** Triton's config parameters are {@code {"string_value": ...}} objects. */
    private static JsonObject stringParameter(String value) {
        return new JsonObject().put("string_value", value);
    }
}
