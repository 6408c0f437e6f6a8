package io.trims.agent.api;

import io.trims.directory.RecordSigner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.agent.Agent;
import io.trims.agent.AgentConfig;
import io.trims.testmodels.OnnxModels;
import io.trims.agent.testing.TestCluster;
import io.trims.directory.HostStats;
import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.trims.directory.TierLevel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.trims.agent.testing.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's v2 API over real HTTP, with the real directory, S3 server and ONNX Runtime behind it. */
class AgentHttpTest {

    /** The embedded default's agent key: the test cluster signs with this JVM run's secret. */
    private static final String AGENT_KEY = RecordSigner.thisRun().agentKey();

    private static final int IN = 4;
    private static final int OUT = 3;

    @TempDir
    static Path dir;

    private static TestCluster cluster;
    private static Vertx vertx;
    private static Agent agent;
    private static WebClient client;
    private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster(dir.resolve("s3"));
        vertx = Vertx.vertx();
        AgentConfig config = AgentConfig.local("http-agent", dir.resolve("cache"), 1 << 20, 8 << 20)
                .withMaxRequestBytes(16 * 1024);
        agent = await(Agent.start(vertx, config, cluster.directory(), cluster.store(), REGISTRY));
        client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(32));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        await(agent.stop());
        await(vertx.close());
        cluster.close();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static HttpResponse<Buffer> get(String path) throws Exception {
        return await(client.getAbs(agent.endpoint() + path).putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY).send());
    }

    private static HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
        return await(client.postAbs(agent.endpoint() + path)
                .putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY).sendJsonObject(body));
    }

    private static JsonObject inferBody(float[] x, int rows) {
        JsonArray data = new JsonArray();
        for (float v : x) {
            data.add(v);
        }
        return new JsonObject().put("id", "req-1").put("inputs", new JsonArray().add(new JsonObject()
                .put("name", "X").put("datatype", "FP32").put("shape", new JsonArray().add(rows).add(IN)).put("data", data)));
    }

    private static void assertOutputs(float[] expected, JsonObject response) {
        JsonObject y = response.getJsonArray("outputs").getJsonObject(0);
        assertEquals("Y", y.getString("name"));
        assertEquals("FP32", y.getString("datatype"));
        JsonArray data = y.getJsonArray("data");
        assertEquals(expected.length, data.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], data.getFloat(i), 1e-5f, "element " + i);
        }
    }

    @Test
    void inferenceGivesTheModelsNumbersAndSaysWhereTheModelWas() throws Exception {
        String name = unique("mm");
        ModelRecord record = cluster.registerMatMulAdd(name, "1", IN, OUT, 11);
        float[] x = {1, 2, 3, 4, 0.5f, -1, 0, 2};
        float[] expected = OnnxModels.MatMulAdd.of(IN, OUT, 11).apply(x);

        HttpResponse<Buffer> first = post("/v2/models/" + name + "/infer", inferBody(x, 2));
        assertEquals(200, first.statusCode(), first.bodyAsString());
        assertEquals("http-agent", first.getHeader("trims-host"));
        assertEquals("remote", first.getHeader("trims-tier"));
        JsonObject json = first.bodyAsJsonObject();
        assertEquals(name, json.getString("model_name"));
        assertEquals("1", json.getString("model_version"));
        assertEquals("req-1", json.getString("id"));
        assertEquals(new JsonArray().add(2).add(OUT), json.getJsonArray("outputs").getJsonObject(0).getJsonArray("shape"));
        assertOutputs(expected, json);

        HttpResponse<Buffer> second = post("/v2/models/" + name + "/versions/1/infer", inferBody(x, 2));
        assertEquals(200, second.statusCode(), second.bodyAsString());
        assertEquals("cpu", second.getHeader("trims-tier"));
        assertOutputs(expected, second.bodyAsJsonObject());

        assertEquals(200, get("/v2/models/" + name + "/ready").statusCode());
        assertTrue(cluster.directory().snapshot().holders(record.id()).stream()
                .anyMatch(r -> r.host().equals("http-agent") && r.tier() == TierLevel.CPU));
    }

    @Test
    void concurrentColdRequestsAllSucceedOnOneFetchAndOneSession() throws Exception {
        String name = unique("cold");
        cluster.registerMatMulAdd(name, "1", IN, OUT, 12);
        float[] x = {4, 3, 2, 1};
        float[] expected = OnnxModels.MatMulAdd.of(IN, OUT, 12).apply(x);
        long sessionsBefore = agent.residency().cpuTier().sessionsCreated();
        long fetchesBefore = agent.residency().metrics().fetches();
        List<Future<HttpResponse<Buffer>>> requests = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            requests.add(client.postAbs(agent.endpoint() + "/v2/models/" + name + "/infer")
                    .putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY).sendJsonObject(inferBody(x, 1)));
        }
        for (Future<HttpResponse<Buffer>> request : requests) {
            HttpResponse<Buffer> response = await(request);
            assertEquals(200, response.statusCode(), response.bodyAsString());
            assertOutputs(expected, response.bodyAsJsonObject());
        }
        assertEquals(1, agent.residency().cpuTier().sessionsCreated() - sessionsBefore);
        assertEquals(1, agent.residency().metrics().fetches() - fetchesBefore);
    }

    @Test
    void noVersionMeansTheNewestRegisteredOne() throws Exception {
        String name = unique("versioned");
        cluster.registerMatMulAdd(name, "1", IN, OUT, 1);
        Thread.sleep(5);
        cluster.registerMatMulAdd(name, "2", IN, OUT, 2);
        float[] x = {1, 1, 1, 1};

        HttpResponse<Buffer> latest = post("/v2/models/" + name + "/infer", inferBody(x, 1));
        assertEquals("2", latest.bodyAsJsonObject().getString("model_version"));
        assertOutputs(OnnxModels.MatMulAdd.of(IN, OUT, 2).apply(x), latest.bodyAsJsonObject());
        HttpResponse<Buffer> old = post("/v2/models/" + name + "/versions/1/infer", inferBody(x, 1));
        assertOutputs(OnnxModels.MatMulAdd.of(IN, OUT, 1).apply(x), old.bodyAsJsonObject());

        JsonObject metadata = get("/v2/models/" + name).bodyAsJsonObject();
        assertEquals(name, metadata.getString("name"));
        assertEquals(new JsonArray().add("1").add("2"), metadata.getJsonArray("versions"));
        assertEquals("onnxruntime_onnx", metadata.getString("platform"));
        JsonObject input = metadata.getJsonArray("inputs").getJsonObject(0);
        assertEquals("X", input.getString("name"));
        assertEquals(new JsonArray().add(-1).add(IN), input.getJsonArray("shape"));
        assertEquals(200, get("/v2/models/" + name + "/versions/1").statusCode());
    }

    @Test
    void onlyCallersWithTheClusterKeyGetPastHealthAndMetrics() throws Exception {
        String name = unique("guarded");
        cluster.registerMatMulAdd(name, "1", IN, OUT, 6);
        String infer = agent.endpoint() + "/v2/models/" + name + "/infer";
        HttpResponse<Buffer> anonymous = await(client.postAbs(infer).sendJsonObject(inferBody(new float[IN], 1)));
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.bodyAsJsonObject().getString("error").contains(RecordSigner.AGENT_KEY_HEADER),
                anonymous.bodyAsString());
        HttpResponse<Buffer> wrongKey = await(client.postAbs(infer)
                .putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY.substring(1) + "0")
                .sendJsonObject(inferBody(new float[IN], 1)));
        assertEquals(401, wrongKey.statusCode());
        for (String path : List.of("/v2/models/" + name, "/v2/repository/models/" + name + "/load")) {
            assertEquals(401, await(client.postAbs(agent.endpoint() + path).send()).statusCode(), path);
        }
        assertEquals(200, await(client.getAbs(agent.endpoint() + "/v2/health/live").send()).statusCode());
        assertEquals(200, await(client.getAbs(agent.endpoint() + "/metrics").send()).statusCode());
        assertEquals(200, post("/v2/models/" + name + "/infer", inferBody(new float[IN], 1)).statusCode());
    }

    @Test
    void unknownModelsAre404() throws Exception {
        HttpResponse<Buffer> metadata = get("/v2/models/nope");
        assertEquals(404, metadata.statusCode());
        assertTrue(metadata.bodyAsJsonObject().getString("error").contains("unknown model 'nope'"));
        HttpResponse<Buffer> infer = post("/v2/models/nope/infer", inferBody(new float[IN], 1));
        assertEquals(404, infer.statusCode());
        String name = unique("known");
        cluster.registerMatMulAdd(name, "1", IN, OUT, 3);
        HttpResponse<Buffer> version = get("/v2/models/" + name + "/versions/9");
        assertEquals(404, version.statusCode());
        assertTrue(version.bodyAsJsonObject().getString("error").contains("unknown version '9' of model"));
        assertEquals(404, get("/v2/models/" + name + "/versions/9/ready").statusCode());
    }

    @Test
    void badInputIs400WithWhatWasWrong() throws Exception {
        String name = unique("strict");
        cluster.registerMatMulAdd(name, "1", IN, OUT, 4);
        HttpResponse<Buffer> wrongShape = post("/v2/models/" + name + "/infer", inferBody(new float[5], 1)
                .put("inputs", new JsonArray().add(new JsonObject().put("name", "X").put("datatype", "FP32")
                        .put("shape", new JsonArray().add(1).add(5)).put("data", new JsonArray().add(1).add(2).add(3).add(4).add(5)))));
        assertEquals(400, wrongShape.statusCode());
        assertTrue(wrongShape.bodyAsJsonObject().getString("error").contains("dimension 1 must be 4"),
                wrongShape.bodyAsString());
        HttpResponse<Buffer> notJson = await(client.postAbs(agent.endpoint() + "/v2/models/" + name + "/infer")
                .putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY)
                .sendBuffer(Buffer.buffer("{not json")));
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.bodyAsJsonObject().getString("error").startsWith("malformed JSON"));
        assertEquals(400, get("/v2/models/" + name + "/ready").statusCode(), "registered but never loaded");
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        String name = unique("limited");
        cluster.registerMatMulAdd(name, "1", IN, OUT, 5);
        HttpResponse<Buffer> big = post("/v2/models/" + name + "/infer", inferBody(new float[IN * 2000], 2000));
        assertEquals(413, big.statusCode());
        assertTrue(big.bodyAsJsonObject().containsKey("error"));
    }

    @Test
    void healthAndMetricsAreServed() throws Exception {
        assertEquals(200, get("/v2/health/live").statusCode());
        HttpResponse<Buffer> ready = get("/v2/health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals(true, ready.bodyAsJsonObject().getBoolean("ready"));
        HttpResponse<Buffer> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.bodyAsString().contains("trims_tier_capacity_bytes{host=\"http-agent\",tier=\"cpu\"}"),
                metrics.bodyAsString());
    }

    /** Why a model cannot be brought to where it runs, as a client sees it: status and message. */
    @Test
    void tierOutcomesAnswerWithTheirStatusAndMessage() throws Exception {
        List<TensorSpec> x = List.of(new TensorSpec("X", "FP32", new long[]{-1, IN}));
        List<TensorSpec> y = List.of(new TensorSpec("Y", "FP32", new long[]{-1, OUT}));

        byte[] good = OnnxModels.matMulAdd(IN, OUT, 6);
        byte[] corrupted = good.clone();
        corrupted[corrupted.length - 1] ^= 0x55;
        ModelRecord corrupt = cluster.register(unique("corrupt"), "1", corrupted, TestCluster.sha256(good), x, y);
        assertError(infer(corrupt), 502, "model " + corrupt.id() + " in object storage (key " + corrupt.objectKey()
                + ") has sha256 " + TestCluster.sha256(corrupted) + " but the registry says " + corrupt.sha256()
                + "; the copy was discarded and not cached");

        ModelRecord gone = cluster.registerMatMulAdd(unique("gone"), "1", IN, OUT, 7);
        cluster.store().delete(gone.objectKey());
        assertError(infer(gone), 502, "model " + gone.id() + " is registered but its object " + gone.objectKey()
                + " is missing from object storage");

        ModelRecord big = cluster.registerMatMulAdd(unique("big"), "1", IN, 60_000, 8);
        assertError(infer(big), 507, "model " + big.id() + " needs " + big.sizeBytes()
                + " bytes, the cpu tier holds at most " + (1 << 20));

        byte[] junk = "not an onnx model".getBytes();
        ModelRecord refused = cluster.register(unique("junk"), "1", junk, TestCluster.sha256(junk), x, y);
        HttpResponse<Buffer> notLoadable = infer(refused);
        assertEquals(422, notLoadable.statusCode(), notLoadable.bodyAsString());
        assertTrue(notLoadable.bodyAsJsonObject().getString("error").startsWith("model " + refused.id() + " cannot be loaded: "),
                notLoadable.bodyAsString());
    }

    private static HttpResponse<Buffer> infer(ModelRecord model) throws Exception {
        return post("/v2/models/" + model.name() + "/infer", inferBody(new float[IN], 1));
    }

    @Test
    void theHostPublishesWhatItMeasuredForPlacement() throws Exception {
        String name = unique("measured");
        ModelRecord record = cluster.registerMatMulAdd(name, "1", IN, OUT, 5);
        float[] x = {1, 2, 3, 4};
        for (int i = 0; i < 3; i++) {
            HttpResponse<Buffer> answer = post("/v2/models/" + name + "/infer", inferBody(x, 1));
            assertEquals(200, answer.statusCode(), answer.bodyAsString());
        }
        TestCluster.eventually(5_000, "the statistics name the model's runs", () -> cluster.directory().snapshot()
                .stats("http-agent").flatMap(s -> s.runTime(record.id(), TierLevel.CPU))
                .filter(r -> r.runs() >= 3).isPresent());
        HostStats stats = cluster.directory().snapshot().stats("http-agent").orElseThrow();
        assertEquals(4, stats.concurrency(), "the inference pool of AgentConfig.local");
        assertTrue(stats.runTime(record.id(), TierLevel.CPU).orElseThrow().meanNanos() > 0);
        assertTrue(stats.meanRunNanos() > 0);
        assertTrue(stats.fetchBytesPerSecond() > 0, "a fetch was measured");
        assertTrue(stats.diskLoadBytesPerSecond() > 0, "a load from disk was measured");
        TestCluster.eventually(5_000, "nothing runs or waits once all were answered", () -> cluster.directory()
                .snapshot().stats("http-agent").map(s -> s.busy() == 0).orElse(false));
    }

    private static void assertError(HttpResponse<Buffer> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        assertEquals(message, response.bodyAsJsonObject().getString("error"));
    }
}
