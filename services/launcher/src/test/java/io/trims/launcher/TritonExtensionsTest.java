package io.trims.launcher;

import io.trims.agent.Agent;
import io.trims.agent.residency.ModelResidency;
import io.trims.agent.residency.Served;
import io.trims.directory.ModelId;
import io.trims.policy.eviction.Resident;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.testmodels.OnnxModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Triton / KServe v2 extensions of the front door on a real cluster in this JVM (embedded S3, Hazelcast members,
 * two agents running ONNX Runtime), over real HTTP: server metadata, the model configuration, readiness, the
 * repository index, load and unload mapped onto the tiers, and statistics. The tests run in order on one cluster:
 * a model is registered, found not ready, loaded, served, counted, unloaded and served again from a cold start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TritonExtensionsTest {

    private static final int WIDTH = 4;
    private static final ModelId RELU = new ModelId("relu", "1");
    private static final ModelId IDLE = new ModelId("idle", "1");

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.start(data, Map.of(
                "TRIMS_AGENTS", "2",
                "TRIMS_INFER_THREADS", "2",
                "TRIMS_SERVICES_INSTANCES", "2"));
        register(RELU, OnnxModels.relu(WIDTH));
        register(IDLE, OnnxModels.identity(DataType.FP32));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void serverMetadataNamesTrimsItsBuildVersionAndTheExtensionsItServes() throws Exception {
        HttpResponse<String> answer = get("/v2");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonObject body = new JsonObject(answer.body());
        assertEquals("trims", body.getString("name"));
        assertTrue(body.getString("version").matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"),
                "the project version, filled in by the build: " + body.getString("version"));
        assertEquals(new JsonArray().add("binary_tensor_data").add("model_repository").add("model_configuration")
                .add("statistics"), body.getJsonArray("extensions"));
    }

    @Test
    @Order(2)
    void theModelConfigurationIsDerivedFromTheRegisteredSignature() throws Exception {
        HttpResponse<String> answer = get("/v2/models/relu/config");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonObject config = new JsonObject(answer.body());
        assertEquals("relu", config.getString("name"));
        assertEquals("onnxruntime_onnx", config.getString("platform"));
        assertEquals("onnxruntime", config.getString("backend"));
        assertEquals(0, config.getInteger("max_batch_size"));
        JsonObject input = config.getJsonArray("input").getJsonObject(0);
        assertEquals("X", input.getString("name"));
        assertEquals("TYPE_FP32", input.getString("data_type"));
        assertEquals(new JsonArray().add(-1).add(WIDTH), input.getJsonArray("dims"), "-1 is the dynamic dimension");
        JsonObject output = config.getJsonArray("output").getJsonObject(0);
        assertEquals("Y", output.getString("name"));
        assertEquals(new JsonArray().add(-1).add(WIDTH), output.getJsonArray("dims"));
        assertTrue(config.containsKey("version_policy"));
        assertEquals(1, config.getJsonArray("instance_group").getJsonObject(0).getInteger("count"));
        assertEquals(200, get("/v2/models/relu/versions/1/config").statusCode());
        assertError(get("/v2/models/nope/config"), 404, "unknown model 'nope'");
        assertError(get("/v2/models/relu/versions/9/config"), 404, "unknown version '9'");
    }

    @Test
    @Order(3)
    void aRegisteredModelThatNoHostHoldsInMemoryIsNotReady() throws Exception {
        HttpResponse<String> ready = get("/v2/models/relu/ready");
        assertEquals(400, ready.statusCode(), ready.body());
        JsonObject body = new JsonObject(ready.body());
        assertFalse(body.getBoolean("ready"));
        assertTrue(body.getString("error").contains("in object storage only"), body.encode());

        JsonObject relu = indexEntry(index("{}"), RELU);
        assertEquals("UNAVAILABLE", relu.getString("state"));
        assertTrue(relu.getString("reason").contains("in object storage only"), relu.encode());
        assertEquals(new JsonArray(), copies(), "no host holds a copy yet");
        assertEquals(new JsonArray(), index("{\"ready\": true}"), "nothing is ready");
    }

    @Test
    @Order(4)
    void loadPutsTheModelInOneHostsCpuTierWithoutRunningIt() throws Exception {
        HttpResponse<String> loaded = post("/v2/repository/models/relu/load", "");
        assertEquals(200, loaded.statusCode(), loaded.body());
        assertEquals(new JsonObject(), new JsonObject(loaded.body()));

        List<Agent> holders = cluster.agents().stream()
                .filter(a -> a.residency().cpuTier().contains(RELU)).toList();
        assertEquals(1, holders.size(), "placement picked one host");
        List<Resident> residents = holders.get(0).residency().cpuTier().residents().stream()
                .filter(r -> r.id().equals(RELU)).toList();
        assertEquals(0, residents.get(0).uses(), "loaded, never acquired for a request");
        assertTrue(holders.get(0).residency().diskTier().contains(RELU), "fetched to disk on the way");

        assertEquals(200, get("/v2/models/relu/ready").statusCode(), "ready once READY in the CPU tier");
        assertEquals(200, get("/v2/models/relu/versions/1/ready").statusCode());
        JsonArray readyOnly = index("{\"ready\": true}");
        assertEquals(1, readyOnly.size(), readyOnly.encode());
        assertEquals("READY", indexEntry(readyOnly, RELU).getString("state"));
        JsonObject idle = indexEntry(index(null), IDLE);
        assertEquals("UNAVAILABLE", idle.getString("state"), "the other model is untouched");

        JsonArray copies = copies();
        String host = holders.get(0).host();
        assertTrue(copies.contains(new JsonObject().put("host", host).put("tier", "cpu").put("state", "ready")),
                copies.encode());
        assertTrue(copies.contains(new JsonObject().put("host", host).put("tier", "disk").put("state", "ready")),
                copies.encode());

        HttpResponse<String> stats = get("/v2/models/relu/stats");
        assertEquals(0, modelStats(stats).getLong("execution_count"), "a load is not an inference");
    }

    @Test
    @Order(5)
    void statisticsCountSuccessesFailuresAndTheAgentsQueueAndComputeTime() throws Exception {
        long before = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = post("/v2/models/relu/infer", inferBody(WIDTH));
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("cpu", ok.headers().firstValue("trims-tier").orElseThrow(), "served from the loaded copy");
        }
        for (int i = 0; i < 2; i++) {
            assertError(post("/v2/models/relu/infer", inferBody(WIDTH + 1)), 400, "dimension 1 must be " + WIDTH);
        }

        JsonObject stats = modelStats(get("/v2/models/relu/versions/1/stats"));
        assertEquals("relu", stats.getString("name"));
        assertEquals("1", stats.getString("version"));
        assertEquals(3, stats.getLong("inference_count"));
        assertEquals(3, stats.getLong("execution_count"));
        assertTrue(stats.getLong("last_inference") >= before, stats.encode());
        JsonObject inference = stats.getJsonObject("inference_stats");
        assertDuration(inference, "success", 3);
        assertDuration(inference, "fail", 2);
        assertDuration(inference, "queue", 3);
        assertDuration(inference, "compute_infer", 3);
        for (String field : List.of("compute_input", "compute_output", "cache_hit", "cache_miss")) {
            assertEquals(0, inference.getJsonObject(field).getLong("count"), field + ", which perf_analyzer reads");
        }
        assertEquals(new JsonArray(), stats.getJsonArray("batch_stats"));

        JsonArray all = new JsonObject(get("/v2/models/stats").body()).getJsonArray("model_stats");
        assertEquals(2, all.size(), "every registered version: " + all.encode());
        assertEquals("idle", all.getJsonObject(0).getString("name"));
        assertEquals(0, all.getJsonObject(0).getJsonObject("inference_stats").getJsonObject("success")
                .getLong("count"));
        assertError(get("/v2/models/nope/stats"), 404, "unknown model 'nope'");
    }

    @Test
    @Order(6)
    void unloadEmptiesEveryHostsTiersKeepsTheRegistrationAndTheNextRequestIsAColdStart() throws Exception {
        HttpResponse<String> unloaded = post("/v2/repository/models/relu/unload",
                "{\"parameters\": {\"unload_dependents\": false}}");
        assertEquals(200, unloaded.statusCode(), unloaded.body());
        for (Agent agent : cluster.agents()) {
            ModelResidency residency = agent.residency();
            assertFalse(residency.cpuTier().contains(RELU), agent.host() + " cpu");
            assertFalse(residency.diskTier().contains(RELU), agent.host() + " disk");
            assertFalse(residency.gpuTier().map(gpu -> gpu.contains(RELU)).orElse(false), agent.host() + " gpu");
        }
        assertEquals(new JsonArray(), copies(), "the directory lists no copy");
        assertEquals(400, get("/v2/models/relu/ready").statusCode());
        JsonObject relu = indexEntry(index(null), RELU);
        assertEquals("UNAVAILABLE", relu.getString("state"));
        assertTrue(relu.getString("reason").contains("in object storage only"), relu.encode());
        assertEquals(200, get("/v1/models/relu/versions/1").statusCode(), "still registered");

        HttpResponse<String> cold = post("/v2/models/relu/infer", inferBody(WIDTH));
        assertEquals(200, cold.statusCode(), cold.body());
        assertEquals("remote", cold.headers().firstValue("trims-tier").orElseThrow(),
                "fetched from object storage again");
        assertEquals(200, get("/v2/models/relu/ready").statusCode());
    }

    @Test
    @Order(7)
    void unloadNeverTakesACopyFromARequestThatHoldsIt() throws Exception {
        Agent holder = cluster.agents().stream().filter(a -> a.residency().cpuTier().contains(RELU)).findFirst()
                .orElseThrow(() -> new AssertionError("the cold start left a copy in a CPU tier"));
        Served running = holder.residency().acquire(RELU).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        try {
            HttpResponse<String> unloaded = post("/v2/repository/models/relu/unload",
                    "{\"parameters\": {\"version\": \"1\"}}");
            assertEquals(200, unloaded.statusCode(), unloaded.body());
            assertFalse(holder.residency().cpuTier().contains(RELU), "the held copy takes no new requests");
            assertTrue(copies().contains(new JsonObject().put("host", holder.host()).put("tier", "cpu")
                    .put("state", "evicting")), "marked EVICTING while held: " + copies().encode());
            assertEquals(400, get("/v2/models/relu/ready").statusCode());

            List<Tensor> out = running.run(Map.of("X", new Tensor("X", DataType.FP32, new long[]{1, WIDTH},
                    new float[]{-1, 2, -3, 4})), Set.of());
            assertArrayEquals(new float[]{0, 2, 0, 4}, (float[]) out.get(0).data(), "the request still runs");
        } finally {
            running.close();
        }
        eventually(() -> holder.residency().cpuTier().residents().stream().noneMatch(r -> r.id().equals(RELU)),
                "the copy goes once its request lets it go");
        eventually(() -> copies().isEmpty(), "and its directory record with it");
    }

    @Test
    @Order(8)
    void badRepositoryRequestsAreRefusedWithAReason() throws Exception {
        assertError(post("/v2/repository/models/nope/load", ""), 404, "unknown model 'nope'");
        assertError(post("/v2/repository/models/nope/unload", ""), 404, "unknown model 'nope'");
        assertError(post("/v2/repository/models/relu/load", "{\"parameters\": {\"version\": \"9\"}}"), 404,
                "unknown version '9' of model 'relu'");
        assertError(post("/v2/repository/models/relu/load", "{\"parameters\": {\"config\": \"{}\"}}"), 400,
                "'config'");
        assertError(post("/v2/repository/models/relu/load", "[1]"), 400, "JSON object");
        assertError(post("/v2/repository/index", "{\"ready\": 1}"), 400, "ready must be a boolean");
        assertError(post("/v2/repository/index", "{\"ready\": "), 400, "malformed JSON");
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void eventually(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 10 s");
            }
            Thread.sleep(20);
        }
    }

    private static void register(ModelId model, byte[] onnx) throws Exception {
        HttpResponse<String> uploaded = http.send(request("/v1/models/" + model.name() + "/versions/" + model.version())
                .header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + cluster.adminKey()).PUT(HttpRequest.BodyPublishers.ofByteArray(onnx)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
    }

    private static String inferBody(int width) {
        JsonArray x = new JsonArray();
        for (int i = 0; i < width; i++) {
            x.add(i - 1.5);
        }
        return new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "X")
                .put("datatype", "FP32").put("shape", new JsonArray().add(1).add(width)).put("data", x))).encode();
    }

    private static JsonArray index(String body) throws Exception {
        HttpResponse<String> answer = body == null ? get("/v2/repository/index") : post("/v2/repository/index", body);
        assertEquals(200, answer.statusCode(), answer.body());
        return new JsonArray(answer.body());
    }

    private static JsonObject indexEntry(JsonArray index, ModelId model) {
        for (int i = 0; i < index.size(); i++) {
            JsonObject entry = index.getJsonObject(i);
            if (entry.getString("name").equals(model.name()) && entry.getString("version").equals(model.version())) {
                return entry;
            }
        }
        throw new AssertionError(model + " is not in the index " + index.encode());
    }

    private static JsonArray copies() throws Exception {
        HttpResponse<String> metadata = get("/v2/models/relu");
        assertEquals(200, metadata.statusCode(), metadata.body());
        return new JsonObject(metadata.body()).getJsonObject("parameters").getJsonArray("copies");
    }

    private static JsonObject modelStats(HttpResponse<String> answer) {
        assertEquals(200, answer.statusCode(), answer.body());
        JsonArray stats = new JsonObject(answer.body()).getJsonArray("model_stats");
        assertEquals(1, stats.size(), stats.encode());
        return stats.getJsonObject(0);
    }

    private static void assertDuration(JsonObject inference, String name, long count) {
        JsonObject duration = inference.getJsonObject(name);
        assertEquals(count, duration.getLong("count"), name + ": " + inference.encode());
        assertTrue(duration.getLong("ns") > 0, name + " has a duration: " + inference.encode());
    }

    private static void assertError(HttpResponse<String> answer, int status, String fragment) {
        assertEquals(status, answer.statusCode(), answer.body());
        String error = new JsonObject(answer.body()).getString("error");
        assertTrue(error != null && error.contains(fragment), "'" + error + "' should say '" + fragment + "'");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        // Load and unload need a write key; the admin's serves every other POST as well.
        return http.send(request(path).header("content-type", "application/json")
                .header("authorization", "Bearer " + cluster.adminKey())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(Duration.ofSeconds(60));
    }
}
