package io.trims.launcher;

import io.trims.agent.Agent;
import io.trims.directory.ModelId;
import io.trims.testmodels.OnnxModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hot-model copies on a real cluster in this JVM: three agents with one inference worker each behind the
 * completion-time front door. A burst of requests for one model queues behind its only holder until the queue
 * outlasts a load elsewhere; then another host loads it and the requests spread over the copies. Once the burst
 * is over, the copies that fell idle are given back and one stays.
 */
class HotCopiesTest {

    private static final int IN = 1024;
    private static final int OUT = 1024;
    private static final int ROWS = 32;
    private static final int BURST = 48;
    private static final ModelId MODEL = new ModelId("hot", "1");
    private static final long SPARE_IDLE_MS = 2_000;

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.start(data, Map.of(
                "TRIMS_AGENTS", "3",
                "TRIMS_INFER_THREADS", "1",
                "TRIMS_SERVICES_INSTANCES", "1",
                "TRIMS_SPARE_COPY_IDLE_MS", Long.toString(SPARE_IDLE_MS),
                "TRIMS_DEMO", "false"));
        byte[] model = OnnxModels.matMulAdd(IN, OUT, 3);
        HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(uri("/v1/models/hot/versions/1"))
                .header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + cluster.adminKey()).PUT(HttpRequest.BodyPublishers.ofByteArray(model)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBurstMakesAnotherCopyAndTheIdleCopiesAreGivenBack() throws Exception {
        // Serially: one host loads the model and measures its load and run times.
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> warm = infer();
            assertEquals(200, warm.statusCode(), warm.body());
        }
        assertEquals(1, holdersInCpu(), "serial requests share one copy");

        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            burst.add(http.sendAsync(request(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<String, Integer> servedBy = new HashMap<>();
        for (CompletableFuture<HttpResponse<String>> sent : burst) {
            HttpResponse<String> answer = sent.get(60, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.headers().firstValue("trims-predicted-ms").isPresent());
            servedBy.merge(answer.headers().firstValue("trims-host").orElseThrow(), 1, Integer::sum);
        }
        assertTrue(servedBy.size() >= 2, "the burst spread over more than one copy: " + servedBy);
        assertTrue(servedBy.values().stream().allMatch(n -> n < BURST), "no host served it all: " + servedBy);
        assertTrue(holdersInCpu() >= 2, "another copy was made");

        eventually(Duration.ofSeconds(20), "the idle copies are given back", () -> holdersInCpu() == 1);
        HttpResponse<String> after = infer();
        assertEquals(200, after.statusCode(), after.body());
        assertEquals("cpu", after.headers().firstValue("trims-tier").orElseThrow(), "the copy kept still serves");
    }

    private static long holdersInCpu() {
        return cluster.agents().stream().map(Agent::residency).filter(r -> r.cpuTier().contains(MODEL)).count();
    }

    private static HttpResponse<String> infer() throws Exception {
        return http.send(request(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request() {
        JsonArray x = new JsonArray();
        for (int i = 0; i < ROWS * IN; i++) {
            x.add((i % 7) * 0.25);
        }
        JsonObject body = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "X")
                .put("datatype", "FP32").put("shape", new JsonArray().add(ROWS).add(IN)).put("data", x)));
        return HttpRequest.newBuilder(uri("/v2/models/hot/infer")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).timeout(Duration.ofSeconds(60)).build();
    }

    private static void eventually(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static URI uri(String path) {
        return URI.create(cluster.url() + path);
    }
}
