package io.trims.launcher;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.trims.agent.Agent;
import io.trims.launcher.EmbeddedCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system in this JVM over real HTTP: an embedded S3 server, Hazelcast members, registry and placement,
 * two agents running ONNX Runtime. A real pretrained model (all-MiniLM-L6-v2, taken out of the langchain4j jar)
 * is uploaded through the registry API and served through the front door; its answers must match running the
 * same file directly in ONNX Runtime.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {

    private static final String MODEL = "all-minilm-l6-v2";
    private static final String RESOURCE = "all-minilm-l6-v2.onnx";
    private static final int BATCH = 2;
    private static final int SEQ = 8;
    /** Two sentences of BERT token ids; the second is padded after six tokens. */
    private static final long[] INPUT_IDS = {101, 7592, 2088, 2003, 1037, 3231, 6251, 102, 101, 2204, 2851, 2000, 2017, 102, 0, 0};
    private static final long[] ATTENTION_MASK = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    private static final long[] TOKEN_TYPE_IDS = new long[BATCH * SEQ];
    private static final long MAX_REQUEST_BYTES = 1 << 20;

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static float[] expected;
    private static String firstHolder;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.start(data, Map.of(
                "TRIMS_MAX_REQUEST_BYTES", Long.toString(MAX_REQUEST_BYTES),
                "TRIMS_INFER_THREADS", "2"));
        expected = runDirectly();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theModelIsUploadedThroughTheRegistryApi() throws Exception {
        long size;
        try (InputStream in = resource()) {
            size = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/v1/models/" + MODEL + "/versions/1"))
                .header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + cluster.adminKey()).PUT(HttpRequest.BodyPublishers.ofInputStream(EndToEndTest::resource)));
        assertEquals(201, answer.statusCode(), answer.body());
        JsonObject record = new JsonObject(answer.body());
        assertEquals(size, record.getLong("size_bytes"));
        assertEquals(3, record.getJsonArray("inputs").size());

        HttpResponse<String> metadata = send(HttpRequest.newBuilder(uri("/v2/models/" + MODEL)).GET());
        assertEquals(200, metadata.statusCode(), metadata.body());
        assertEquals(new JsonArray().add("1"), new JsonObject(metadata.body()).getJsonArray("versions"));
        assertEquals(400, send(HttpRequest.newBuilder(uri("/v2/models/" + MODEL + "/ready")).GET()).statusCode(),
                "registered, but in no host's memory yet");
    }

    @Test
    @Order(2)
    void aColdStartThenAWarmHitOnTheSameHolderMatchOnnxRuntime() throws Exception {
        HttpResponse<String> cold = infer(MODEL, request(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS));
        assertEquals(200, cold.statusCode(), cold.body());
        assertEquals("remote", header(cold, "trims-placement"), "nobody held the model: a miss");
        assertEquals("remote", header(cold, "trims-tier"), "the holder fetched it from object storage");
        firstHolder = header(cold, "trims-host");
        assertClose(expected, cold);

        HttpResponse<String> warm = infer(MODEL, request(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS));
        assertEquals(200, warm.statusCode(), warm.body());
        assertEquals(firstHolder, header(warm, "trims-host"));
        assertEquals("cpu", header(warm, "trims-tier"));
        assertEquals("cpu", header(warm, "trims-placement"));
        assertClose(expected, warm);
        assertEquals(200, send(HttpRequest.newBuilder(uri("/v2/models/" + MODEL + "/ready")).GET()).statusCode());

        HttpResponse<String> metrics = send(HttpRequest.newBuilder(uri("/metrics")).GET());
        assertTrue(metrics.body().contains("trims_requests_total{model=\"" + MODEL + "\",outcome=\"ok\"} 2.0"),
                "front door metrics count the two requests");
    }

    @Test
    @Order(3)
    void badInputIsRefusedWithAReasonByTheFrontDoorOrTheAgent() throws Exception {
        JsonObject good = request(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
        assertError(infer("no-such-model", good), 404, "unknown model 'no-such-model'");
        assertError(infer(MODEL, "{\"inputs\": [{\"name\": "), 400, "malformed JSON");

        JsonObject wrongType = good.copy();
        wrongType.getJsonArray("inputs").getJsonObject(0).put("datatype", "INT32");
        assertError(infer(MODEL, wrongType), 400, "model expects INT64, got INT32");

        JsonObject shortData = good.copy();
        shortData.getJsonArray("inputs").getJsonObject(1).getJsonArray("data").remove(0);
        assertError(infer(MODEL, shortData), 400, "needs 16 values, got 15");

        JsonObject missing = good.copy();
        missing.getJsonArray("inputs").remove(2);
        assertError(infer(MODEL, missing), 400, "missing input 'token_type_ids'");

        String oversized = "{\"inputs\": [], \"pad\": \"" + "x".repeat((int) MAX_REQUEST_BYTES) + "\"}";
        assertError(infer(MODEL, oversized), 413, "larger than " + MAX_REQUEST_BYTES + " bytes");
    }

    @Test
    @Order(4)
    void whenTheHolderStopsTheNextRequestGoesToTheOtherHost() throws Exception {
        Agent holder = cluster.agents().stream().filter(a -> a.host().equals(firstHolder)).findFirst().orElseThrow();
        holder.stop().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);

        HttpResponse<String> moved = infer(MODEL, request(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS));
        assertEquals(200, moved.statusCode(), moved.body());
        assertNotEquals(firstHolder, header(moved, "trims-host"));
        assertEquals("remote", header(moved, "trims-tier"), "the other host had to fetch the model");
        assertClose(expected, moved);
    }

    private static JsonObject request(long[] ids, long[] mask, long[] types) {
        return new JsonObject().put("inputs", new JsonArray()
                .add(input("input_ids", ids))
                .add(input("attention_mask", mask))
                .add(input("token_type_ids", types)));
    }

    private static JsonObject input(String name, long[] values) {
        JsonArray data = new JsonArray();
        for (long v : values) {
            data.add(v);
        }
        return new JsonObject().put("name", name).put("datatype", "INT64")
                .put("shape", new JsonArray().add(BATCH).add(SEQ)).put("data", data);
    }

    /** The same file, the same inputs, straight through ONNX Runtime: the reference answer. */
    private static float[] runDirectly() throws Exception {
        byte[] model;
        try (InputStream in = resource()) {
            model = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {BATCH, SEQ};
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(INPUT_IDS), shape);
             OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(ATTENTION_MASK), shape);
             OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(TOKEN_TYPE_IDS), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", ids);
            inputs.put("attention_mask", mask);
            inputs.put("token_type_ids", types);
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer values = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] out = new float[values.remaining()];
                values.get(out);
                return out;
            }
        }
    }

    private static void assertClose(float[] want, HttpResponse<String> answer) {
        JsonObject output = new JsonObject(answer.body()).getJsonArray("outputs").getJsonObject(0);
        assertEquals(new JsonArray().add(BATCH).add(SEQ).add(384), output.getJsonArray("shape"));
        JsonArray got = output.getJsonArray("data");
        assertEquals(want.length, got.size());
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - ((Number) got.getValue(i)).doubleValue()));
        }
        assertTrue(worst <= 1e-5, "max abs difference to ONNX Runtime run directly is " + worst);
    }

    private static void assertError(HttpResponse<String> answer, int status, String fragment) {
        assertEquals(status, answer.statusCode(), answer.body());
        String error = new JsonObject(answer.body()).getString("error");
        assertTrue(error != null && error.contains(fragment), "'" + error + "' should say '" + fragment + "'");
    }

    private static HttpResponse<String> infer(String model, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/v2/models/" + model + "/infer"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<String> answer, String name) {
        return answer.headers().firstValue(name).orElse(null);
    }

    private static URI uri(String path) {
        return URI.create(cluster.url() + path);
    }

    private static InputStream resource() {
        return EndToEndTest.class.getClassLoader().getResourceAsStream(RESOURCE);
    }
}
