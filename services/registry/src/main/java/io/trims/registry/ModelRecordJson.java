package io.trims.registry;

import io.trims.protocol.V2Codec;
import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.trims.directory.Visibility;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A {@link ModelRecord} as the registry API answers it and as {@code manifest.json} stores it. */
public final class ModelRecordJson {

    private ModelRecordJson() {
    }

    /**
     * {@code {name, version, object_key, sha256, size_bytes, inputs, outputs, created_at (ISO-8601), gpu,
     * gpu_unsupported_reason, owner, visibility, cost}}, with {@code task, accuracy, tags} for a version that
     * declares a task: {@code gpu} is false for a CPU-only model, whose reason is then non-empty; {@code owner} is
     * the tenant that registered it, {@code visibility} public or private.
     */
    public static JsonObject toJson(ModelRecord record) {
        JsonObject json = new JsonObject()
                .put("name", record.name())
                .put("version", record.version())
                .put("object_key", record.objectKey())
                .put("sha256", record.sha256())
                .put("size_bytes", record.sizeBytes())
                .put("inputs", V2Codec.specs(record.inputs()))
                .put("outputs", V2Codec.specs(record.outputs()))
                .put("created_at", Instant.ofEpochMilli(record.createdAtMillis()).toString())
                .put("gpu", record.gpuCapable())
                .put("gpu_unsupported_reason", record.gpuUnsupportedReason())
                .put("owner", record.owner())
                .put("visibility", record.visibility().name().toLowerCase(Locale.ROOT));
        TaskDeclarations.putInto(json, record.task(), record.sizeBytes());
        return json;
    }

    public static JsonArray toJson(List<ModelRecord> records) {
        JsonArray array = new JsonArray();
        records.forEach(r -> array.add(toJson(r)));
        return array;
    }

    /**
     * Reads what {@link #toJson(ModelRecord)} wrote; throws IllegalArgumentException if a field is missing. A manifest
     * written before the GPU check existed has no {@code gpu_unsupported_reason} and reads as GPU-capable; one
     * written before tenants existed has no owner and reads as public.
     */
    public static ModelRecord fromJson(JsonObject json) {
        try {
            return new ModelRecord(
                    required(json.getString("name"), "name"),
                    required(json.getString("version"), "version"),
                    required(json.getString("object_key"), "object_key"),
                    required(json.getString("sha256"), "sha256"),
                    required(json.getLong("size_bytes"), "size_bytes"),
                    specs(json.getJsonArray("inputs")),
                    specs(json.getJsonArray("outputs")),
                    Instant.parse(required(json.getString("created_at"), "created_at")).toEpochMilli(),
                    json.getString("gpu_unsupported_reason", ""),
                    json.getString("owner", ""),
                    Visibility.valueOf(json.getString("visibility", "public").toUpperCase(Locale.ROOT)),
                    TaskDeclarations.from(json));
        } catch (ClassCastException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("bad model record: " + e.getMessage(), e);
        }
    }

    private static List<TensorSpec> specs(JsonArray array) {
        required(array, "inputs/outputs");
        List<TensorSpec> specs = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonObject spec = array.getJsonObject(i);
            JsonArray shape = required(spec.getJsonArray("shape"), "shape");
            long[] dims = new long[shape.size()];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = shape.getLong(d);
            }
            specs.add(new TensorSpec(required(spec.getString("name"), "name"), required(spec.getString("datatype"),
                    "datatype"), dims));
        }
        return specs;
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("bad model record: " + field + " is missing");
        }
        return value;
    }
}
