package io.trims.launcher;

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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-less serving over real HTTP against the embedded cluster: two variants of one task, a small one kept warm
 * and a large, more accurate and cheaper one (16 MB of weights, a cold start the cost model prices above a tight
 * target). The variant each request gets follows from its targets and what is warm.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskInferenceTest {

    private static final String TASK = "scoring";
    private static final int SMALL_IN = 8;
    private static final int LARGE_IN = 2048;

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;
    private static ClusterCalls calls;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.start(data, Map.of(
                "TRIMS_AGENTS", "1",
                "TRIMS_SERVICES_INSTANCES", "1"));
        calls = new ClusterCalls(cluster.url(), cluster.adminKey());
        assertEquals(201, upload("small", "?task=" + TASK + "&accuracy=70&cost=1", OnnxModels.matMulAdd(SMALL_IN, 4, 1))
                .statusCode());
        assertEquals(201, upload("large", "?task=" + TASK + "&accuracy=80&cost=0.5&tags=large,slow",
                OnnxModels.matMulAdd(LARGE_IN, LARGE_IN, 2)).statusCode());
        // Enough runs that the small variant's measured mean is its warm run time, not its first (slow) run's.
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> warm = calls.post("small", body(SMALL_IN, null).encode());
            assertEquals(200, warm.statusCode(), warm.body());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aTightTargetIsServedByTheWarmVariantThoughTheColdOneIsCheaper() throws Exception {
        HttpResponse<String> answer = taskInfer(body(SMALL_IN, new JsonObject().put("max_latency_ms", 50)));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("small", answer.headers().firstValue("trims-variant").orElse(null));
        assertEquals("met", answer.headers().firstValue("trims-latency-target").orElse(null));
        assertEquals("cpu", answer.headers().firstValue("trims-tier").orElse(null));
        assertNotNull(answer.headers().firstValue("trims-predicted-ms").orElse(null));
        JsonObject json = new JsonObject(answer.body());
        assertEquals("small", json.getString("model_name"));
        assertEquals("1", json.getString("model_version"));
    }

    @Test
    @Order(2)
    void anAccuracyFloorIsServedByTheAccurateVariant() throws Exception {
        HttpResponse<String> answer = taskInfer(body(LARGE_IN, new JsonObject().put("min_accuracy", 75)));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("large", answer.headers().firstValue("trims-variant").orElse(null));
        assertEquals("remote", answer.headers().firstValue("trims-tier").orElse(null), "its cold start");
    }

    @Test
    @Order(3)
    void anImpossibleTargetGetsTheClosestAndSaysSo() throws Exception {
        HttpResponse<String> answer = taskInfer(body(SMALL_IN, new JsonObject().put("max_latency_ms", 0.000001)));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("small", answer.headers().firstValue("trims-variant").orElse(null), "the sooner of two warm ones");
        assertEquals("missed", answer.headers().firstValue("trims-latency-target").orElse(null));
    }

    @Test
    @Order(4)
    void withoutTargetsTheMostAccurateWarmVariantServes() throws Exception {
        HttpResponse<String> answer = taskInfer(body(LARGE_IN, null));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("large", answer.headers().firstValue("trims-variant").orElse(null));
        assertTrue(answer.headers().firstValue("trims-latency-target").isEmpty(), "no target, no verdict");
    }

    @Test
    @Order(5)
    void requestsNoVariantCanTakeAreClientErrorsThatSayWhy() throws Exception {
        JsonObject wrongInput = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "Z")
                .put("datatype", "FP32").put("shape", new JsonArray().add(1)).put("data", new JsonArray().add(1))));
        assertError(taskInfer(wrongInput), 400, "no variant of task 'scoring' takes inputs [Z]: large v1 expects [X]");
        assertError(taskInfer(body(SMALL_IN, new JsonObject().put("min_accuracy", 99))), 400,
                "no variant of task 'scoring' meets min_accuracy and max_cost");
        assertError(taskInfer(body(SMALL_IN, new JsonObject().put("max_latency_ms", "soon"))), 400,
                "parameter 'max_latency_ms' must be a number");
        HttpResponse<String> unknown = calls.send(HttpRequest.newBuilder(URI.create(cluster.url()
                        + "/v2/tasks/nope/infer")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(SMALL_IN, null).encode())));
        assertError(unknown, 404, "no model version serves task 'nope'");
        assertError(upload("stray", "?accuracy=3", OnnxModels.matMulAdd(SMALL_IN, 4, 3)), 400,
                "accuracy, tags and cost describe a task: give task too");
        assertEquals(404, get("/v1/models/stray/versions/1").statusCode(), "nothing was stored");
    }

    @Test
    @Order(6)
    void tasksListTheirVariantsWithWhatTheAgentsMeasured() throws Exception {
        JsonObject tasks = new JsonObject(get("/v1/tasks").body());
        JsonObject task = tasks.getJsonArray("tasks").getJsonObject(0);
        assertEquals(TASK, task.getString("task"));
        assertEquals(List.of("large", "small"), task.getJsonArray("variants").stream()
                .map(v -> ((JsonObject) v).getString("model")).toList());

        JsonObject detail = new JsonObject(get("/v1/tasks/" + TASK).body());
        JsonObject small = detail.getJsonArray("variants").getJsonObject(1);
        assertEquals(70.0, small.getDouble("accuracy"));
        assertEquals(1.0, small.getDouble("cost"));
        assertEquals("READY", small.getString("state"));
        assertTrue(small.getJsonObject("latency_ms").getDouble("cpu") > 0, detail.encode());
        assertEquals(List.of("large", "slow"), detail.getJsonArray("variants").getJsonObject(0)
                .getJsonArray("tags").getList());
        assertEquals(404, get("/v1/tasks/nope").statusCode());

        JsonObject metadata = new JsonObject(get("/v2/models/large").body()).getJsonObject("parameters");
        assertEquals(TASK, metadata.getString("task"));
        assertEquals(80.0, metadata.getDouble("accuracy"));
    }

    @Test
    @Order(7)
    void aPatchChangesTheProfileAndTheChoice() throws Exception {
        HttpResponse<String> patched = patch("/v1/models/small/versions/1", new JsonObject().put("accuracy", 90));
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals(90.0, new JsonObject(patched.body()).getDouble("accuracy"));
        assertEquals(90.0, new JsonObject(get("/v1/models/small/versions/1").body()).getDouble("accuracy"));
        long until = System.nanoTime() + 5_000_000_000L;
        String variant;
        do {
            HttpResponse<String> answer = taskInfer(body(SMALL_IN, null));
            assertEquals(200, answer.statusCode(), answer.body());
            variant = answer.headers().firstValue("trims-variant").orElse(null);
        } while (!"small".equals(variant) && System.nanoTime() < until);
        assertEquals("small", variant, "now the most accurate warm variant");

        assertError(patch("/v1/models/small/versions/1", new JsonObject().put("speed", 3)), 400,
                "unknown field 'speed'");
        assertError(patch("/v1/models/small/versions/1", new JsonObject().put("cost", -1)), 400,
                "cost must not be negative");
        assertEquals(404, patch("/v1/models/ghost/versions/1", new JsonObject().put("accuracy", 1)).statusCode());
    }

    @Test
    @Order(8)
    void taskRequestsAreCounted() throws Exception {
        Exposition metrics = calls.scrape(cluster.url());
        assertTrue(metrics.sum("trims_task_requests_total", l -> TASK.equals(l.get("task"))
                && "small".equals(l.get("variant")) && "ok".equals(l.get("outcome"))) >= 2, "ok by variant");
        assertTrue(metrics.sum("trims_task_requests_total", l -> TASK.equals(l.get("task"))
                && "client_error".equals(l.get("outcome"))) >= 3, "refusals");
        assertTrue(metrics.sum("trims_task_slo_missed_total", l -> TASK.equals(l.get("task"))) >= 1);
        assertNotNull(metrics.value("trims_task_slo_met_total", Map.of("task", TASK)));
    }

    private static JsonObject body(int width, JsonObject parameters) {
        JsonArray x = new JsonArray();
        for (int i = 0; i < width; i++) {
            x.add((i % 5) * 0.5);
        }
        JsonObject body = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "X")
                .put("datatype", "FP32").put("shape", new JsonArray().add(1).add(width)).put("data", x)));
        return parameters == null ? body : body.put("parameters", parameters);
    }

    private static HttpResponse<String> taskInfer(JsonObject body) throws Exception {
        return calls.send(HttpRequest.newBuilder(URI.create(cluster.url() + "/v2/tasks/" + TASK + "/infer"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    private static HttpResponse<String> upload(String model, String query, byte[] onnx) throws Exception {
        return calls.send(HttpRequest.newBuilder(URI.create(cluster.url() + "/v1/models/" + model + "/versions/1"
                        + query)).header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + cluster.adminKey())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(onnx)));
    }

    private static HttpResponse<String> patch(String path, JsonObject body) throws Exception {
        return calls.send(HttpRequest.newBuilder(URI.create(cluster.url() + path))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + cluster.adminKey())
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return calls.send(HttpRequest.newBuilder(URI.create(cluster.url() + path)).GET());
    }

    private static void assertError(HttpResponse<String> answer, int status, String start) {
        assertEquals(status, answer.statusCode(), answer.body());
        String error = new JsonObject(answer.body()).getString("error");
        assertTrue(error.startsWith(start), "'" + error + "' should start with '" + start + "'");
    }
}
