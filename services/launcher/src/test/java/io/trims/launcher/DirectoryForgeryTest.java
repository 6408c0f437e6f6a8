package io.trims.launcher;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.genericrecord.GenericRecord;
import com.sun.net.httpserver.HttpServer;
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

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A stranger on the Hazelcast network with a plain Hazelcast client and the cluster name (all Hazelcast's
 * open-source edition asks for), against a real embedded cluster: it points an agent's endpoint at a forged server,
 * points a model's catalogue record at another model's file and digest, and clears the maps. No forged answer is
 * ever returned, no wrong model is ever served, the catalogue comes back by itself, and an agent called directly,
 * without the cluster's key, refuses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryForgeryTest {

    private static final int IN = 8;
    private static final int OUT = 4;
    private static final String FORGED_OUTPUT = "{\"model_name\":\"a\",\"outputs\":[{\"name\":\"Y\",\"datatype\":\"FP32\","
            + "\"shape\":[1,4],\"data\":[666,666,666,666]}]}";

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;
    private static HazelcastInstance stranger;
    private static HttpServer forged;
    private static final AtomicInteger forgedRequests = new AtomicInteger();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        String name = "forgery-" + UUID.randomUUID();
        int hzPort = EmbeddedBindingTest.freeRun(27_000, 2);
        cluster = TestClusters.start(data, Map.of(
                "TRIMS_AGENTS", "1",
                "TRIMS_INFER_THREADS", "1",
                "TRIMS_SERVICES_INSTANCES", "1",
                "TRIMS_CLUSTER", name,
                "TRIMS_HZ_PORT", Integer.toString(hzPort),
                "TRIMS_CATALOGUE_REPAIR_MS", "300"));
        for (String model : List.of("a", "b")) {
            upload(model, OnnxModels.matMulAdd(IN, OUT, model.equals("a") ? 3 : 5));
        }
        // c and its twin hold the same bytes: the twin, inferred before the attack, says what c must answer.
        byte[] c = OnnxModels.matMulAdd(IN, OUT, 11);
        upload("c", c);
        upload("c-twin", c);

        forged = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        forged.createContext("/", exchange -> {
            forgedRequests.incrementAndGet();
            byte[] body = FORGED_OUTPUT.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        forged.start();

        ClientConfig config = new ClientConfig();
        config.setClusterName(name);
        config.getNetworkConfig().addAddress("127.0.0.1:" + hzPort);
        config.setProperty("hazelcast.logging.type", "slf4j");
        stranger = HazelcastClient.newHazelcastClient(config);
    }

    @AfterAll
    static void stop() {
        if (stranger != null) {
            stranger.shutdown();
        }
        if (forged != null) {
            forged.stop(0);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aRewrittenEndpointNeverGetsARequest() throws Exception {
        JsonArray expected = outputs(infer("a"));
        IMap<String, GenericRecord> hosts = stranger.getMap("trims-hosts");
        String forgedEndpoint = "http://127.0.0.1:" + forged.getAddress().getPort();
        for (String host : List.of("agent-1")) {
            GenericRecord stored = hosts.get(host);
            GenericRecord record = stored.getGenericRecord("record").newBuilderWithClone()
                    .setString("endpoint", forgedEndpoint).build();
            hosts.set(host, stored.newBuilderWithClone().setGenericRecord("record", record).build());
        }
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> answer = infer("a");
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(expected, outputs(answer), "the agents' own answer");
        }
        assertEquals(0, forgedRequests.get(), "the forged server was never called");
        assertTrue(rejected("trims-hosts") >= 1, "the forged host records were counted");
    }

    @Test
    @Order(2)
    void aCatalogueRecordPointedAtAnotherModelNeverServesIt() throws Exception {
        JsonArray ofB = outputs(infer("b"));
        JsonArray ofC = outputs(infer("c-twin"));
        assertNotEquals(ofB, ofC);
        IMap<String, GenericRecord> models = stranger.getMap("trims-models");
        String keyOfC = "c:1";
        String keyOfB = "b:1";
        GenericRecord b = models.get(keyOfB).getGenericRecord("record");
        GenericRecord stored = models.get(keyOfC);
        GenericRecord pointedAtB = stored.getGenericRecord("record").newBuilderWithClone()
                .setString("objectKey", b.getString("objectKey")).setString("sha256", b.getString("sha256"))
                .setInt64("sizeBytes", b.getInt64("sizeBytes")).build();
        models.set(keyOfC, stored.newBuilderWithClone().setGenericRecord("record", pointedAtB).build());

        for (int i = 0; i < 6; i++) {
            HttpResponse<String> answer = infer("c");
            if (answer.statusCode() == 200) {
                assertEquals(ofC, outputs(answer), "c answers with c's weights, never b's");
            } else {
                assertNotEquals(500, answer.statusCode(), answer.body());
            }
        }
        assertTrue(rejected("trims-models") >= 1, "the forged catalogue record was counted");
        eventually(Duration.ofSeconds(10), "the registry writes c's signed record back", () -> {
            GenericRecord now = models.get(keyOfC).getGenericRecord("record");
            return !now.getString("objectKey").equals(b.getString("objectKey"));
        });
        assertEquals(ofC, outputs(infer("c")));
    }

    @Test
    @Order(4)
    void clearedMapsComeBackAndServiceWithThem() throws Exception {
        JsonArray expected = outputs(infer("a"));
        for (String map : List.of("trims-models", "trims-hosts", "trims-residencies", "trims-host-stats")) {
            stranger.getMap(map).clear();
        }
        eventually(Duration.ofSeconds(10), "the catalogue is put back from the manifests",
                () -> get("/v1/models/a").statusCode() == 200 && get("/v1/models/b").statusCode() == 200);
        eventually(Duration.ofSeconds(10), "requests are answered again", () -> {
            HttpResponse<String> answer = infer("a");
            return answer.statusCode() == 200 && expected.equals(outputs(answer));
        });
    }

    @Test
    @Order(3)
    void anAgentCalledDirectlyWithoutTheClusterKeyRefuses() throws Exception {
        String agent = cluster.agents().get(0).endpoint();
        HttpResponse<String> direct = http.send(inferRequest(URI.create(agent + "/v2/models/a/infer")),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, direct.statusCode(), direct.body());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(agent + "/v2/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }

    private static long rejected(String map) throws Exception {
        String metrics = get("/metrics").body();
        String prefix = "trims_directory_records_rejected_total{map=\"" + map + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()))).sum();
    }

    private static void upload(String model, byte[] bytes) throws Exception {
        HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(uri("/v1/models/" + model + "/versions/1"))
                        .header("content-type", "application/octet-stream")
                        .header("authorization", "Bearer " + cluster.adminKey())
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
    }

    private static HttpResponse<String> infer(String model) throws IOException, InterruptedException {
        return http.send(inferRequest(uri("/v2/models/" + model + "/infer")), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest inferRequest(URI uri) {
        JsonArray x = new JsonArray();
        for (int i = 0; i < IN; i++) {
            x.add(i * 0.5);
        }
        JsonObject body = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "X")
                .put("datatype", "FP32").put("shape", new JsonArray().add(1).add(IN)).put("data", x)));
        return HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).timeout(Duration.ofSeconds(30)).build();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonArray outputs(HttpResponse<String> answer) {
        assertEquals(200, answer.statusCode(), answer.body());
        return new JsonObject(answer.body()).getJsonArray("outputs").getJsonObject(0).getJsonArray("data");
    }

    private static void eventually(Duration timeout, String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static URI uri(String path) {
        return URI.create(cluster.url() + path);
    }
}
