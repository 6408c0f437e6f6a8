package io.trims.registry;

import io.trims.protocol.V2Exception;
import io.trims.directory.ModelRecord;
import io.trims.directory.TaskProfile;
import io.trims.directory.TensorSpec;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelRecordJsonTest {

    @Test
    void recordSurvivesTheManifestRoundTrip() {
        ModelRecord record = new ModelRecord("bert", "1", "models/bert/1/model.onnx", "00ff", 1234,
                List.of(new TensorSpec("input_ids", "INT64", new long[]{-1, -1})),
                List.of(new TensorSpec("out", "FP32", new long[]{-1, -1, 384})), 1_700_000_000_123L);
        JsonObject json = ModelRecordJson.toJson(record);
        assertEquals("2023-11-14T22:13:20.123Z", json.getString("created_at"));
        assertEquals(1234L, json.getLong("size_bytes"));
        assertEquals(record, ModelRecordJson.fromJson(new JsonObject(json.encode())));

        ModelRecord cpuOnly = record.withGpuUnsupportedReason("operator LSTM has no GPU kernel");
        JsonObject cpuOnlyJson = ModelRecordJson.toJson(cpuOnly);
        assertEquals(false, cpuOnlyJson.getBoolean("gpu"));
        assertEquals(cpuOnly, ModelRecordJson.fromJson(new JsonObject(cpuOnlyJson.encode())));
        json.remove("gpu");
        json.remove("gpu_unsupported_reason");
        assertEquals(record, ModelRecordJson.fromJson(json), "a manifest from before the GPU check reads as GPU-capable");
    }

    @Test
    void aTaskProfileSurvivesTheManifestAndAPatch() {
        ModelRecord record = new ModelRecord("bge", "1", "models/bge/1/model.onnx", "00ff", 133_000_000,
                List.of(new TensorSpec("input_ids", "INT64", new long[]{-1, -1})),
                List.of(new TensorSpec("out", "FP32", new long[]{-1, -1, 384})), 1_700_000_000_123L);
        JsonObject plain = ModelRecordJson.toJson(record);
        assertEquals(1.33, plain.getDouble("cost"), "every version has a cost, from its size");
        assertEquals(null, plain.getString("task"));

        TaskProfile declared = TaskDeclarations.fromQuery(MultiMap.caseInsensitiveMultiMap()
                .add("task", "sentence-embedding").add("accuracy", "62.17").add("tags", "small,en"))
                .apply(record.sizeBytes());
        assertEquals(new TaskProfile("sentence-embedding", 62.17, List.of("small", "en"), 1.33), declared);
        ModelRecord withTask = record.withTask(declared);
        assertEquals(withTask, ModelRecordJson.fromJson(new JsonObject(ModelRecordJson.toJson(withTask).encode())));

        TaskProfile patched = TaskDeclarations.patched(declared, new JsonObject().put("cost", 0.5)
                .put("tags", new JsonArray().add("q")), record.sizeBytes());
        assertEquals(new TaskProfile("sentence-embedding", 62.17, List.of("q"), 0.5), patched);
        assertEquals(TaskProfile.NONE, TaskDeclarations.patched(declared, new JsonObject().put("task", ""), 1));
        assertEquals("accuracy is missing: a task's variants are compared by it", assertThrows(V2Exception.class,
                () -> TaskDeclarations.patched(TaskProfile.NONE, new JsonObject().put("task", "t"), 1)).getMessage());
        assertEquals("accuracy must be a number, got 'high'", assertThrows(V2Exception.class,
                () -> TaskDeclarations.fromQuery(MultiMap.caseInsensitiveMultiMap().add("task", "t")
                        .add("accuracy", "high"))).getMessage());
        assertEquals("accuracy must be a finite number, got NaN", assertThrows(V2Exception.class,
                () -> TaskDeclarations.fromQuery(MultiMap.caseInsensitiveMultiMap().add("task", "t")
                        .add("accuracy", "NaN"))).getMessage());
    }

    @Test
    void incompleteManifestIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelRecordJson.fromJson(new JsonObject().put("name", "x")));
        assertEquals("bad model record: version is missing", e.getMessage());
    }

    @Test
    void namesAreChecked() {
        assertEquals("bert-base_v1.2", ModelNames.check("name", "bert-base_v1.2"));
        assertEquals(400, assertThrows(V2Exception.class, () -> ModelNames.check("version", "")).status());
        assertEquals("model name '-x' is invalid: use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter"
                + " or digit", assertThrows(V2Exception.class, () -> ModelNames.check("name", "-x")).getMessage());
        assertEquals("models/m/2/manifest.json", ModelNames.manifestKey("m", "2"));
    }

    @Test
    void configDefaults() {
        RegistryConfig defaults = RegistryConfig.fromEnv(Map.of());
        assertEquals(2L * 1024 * 1024 * 1024, defaults.maxModelBytes());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), defaults.tempDir());
        assertEquals(10, RegistryConfig.fromEnv(Map.of("TRIMS_MAX_MODEL_BYTES", "10")).maxModelBytes());
    }
}
