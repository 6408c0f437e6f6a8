package io.trims.launcher.hostile;

import io.trims.directory.RecordSigner;
import io.trims.launcher.EmbeddedCluster;
import io.trims.launcher.TestClusters;
import io.trims.testmodels.TextModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and careless inference requests against a real cluster in this JVM (embedded S3, Hazelcast, one agent
 * running ONNX Runtime), sent both to the front door and to the agent directly: each is answered with a 4xx and a
 * JSON {@code {"error": "..."}} naming no server path, and both processes stay up. A property-based part draws
 * {@value #TRIES} requests from {@link HostileRequests}; hand-written examples pin the cases found by attackers.
 */
class HostileInputTest {

    static final int TRIES = 300;
    /** Server-side paths and runtime internals a client must never see. */
    private static final Pattern LEAK = Pattern.compile(
            "onnxruntime_src|\\.(cc|h|cpp|java):\\d|/tmp/|/var/|/home/|/work/|Exception|at io\\.trims|\\bjava\\.");

    private static Path data;
    private static EmbeddedCluster cluster;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger sent = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        data = Files.createTempDirectory("trims-hostile");
        cluster = TestClusters.start(data, Map.of(
                "TRIMS_AGENTS", "1",
                "TRIMS_INFER_THREADS", "2"));
        HttpResponse<String> uploaded = send(URI.create(cluster.url() + "/v1/models/" + HostileRequests.MODEL
                + "/versions/1"), "PUT", Map.of("content-type", "application/octet-stream",
                "authorization", "Bearer " + cluster.adminKey()), TextModels.embedder());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        HttpResponse<String> ok = infer(frontDoor(), Map.of("content-type", "application/json"),
                HostileRequests.valid().encode().getBytes(StandardCharsets.UTF_8));
        assertEquals(200, ok.statusCode(), "the model serves good requests: " + ok.body());
    }

    @AfterContainer
    static void stop() {
        System.out.println("HostileInputTest: " + sent.get() + " hostile requests sent");
        if (cluster != null) {
            cluster.close();
        }
    }

    @Property(tries = TRIES, seed = "20261202")
    void everyHostileRequestIsAClientErrorWithAMessage(@ForAll("hostile") HostileRequests.Hostile request,
                                                        @ForAll("targets") String target) throws Exception {
        assertRefused(infer(target, request.headers(), request.body()), 400, 499);
    }

    @Provide
    Arbitrary<HostileRequests.Hostile> hostile() {
        return HostileRequests.any();
    }

    @Provide
    Arbitrary<String> targets() {
        return Arbitraries.of(frontDoor(), agent());
    }

    @Example
    void disagreeingLengthsNameBothInputs() throws Exception {
        for (String target : new String[]{frontDoor(), agent()}) {
            String error = assertRefused(json(target, HostileRequests.request(
                    HostileRequests.ids(new JsonArray().add(1).add(2).add(3).add(4), 1, 4), HostileRequests.mask(1, 3))),
                    400, 400);
            assertEquals("input 'input_ids' has shape [1,4] but 'attention_mask' has [1,3]: dimension 1 must agree", error);
        }
    }

    @Example
    void tokenIdsPastTheVocabularyAreOutOfRange() throws Exception {
        String error = assertRefused(json(agent(), HostileRequests.request(
                HostileRequests.ids(new JsonArray().add(1).add(30522), 1, 2), HostileRequests.mask(1, 2))), 400, 400);
        assertTrue(error.contains("30522") && error.contains("input_ids"), error);
    }

    @Example
    void negativeTokenIdsAreRefused() throws Exception {
        for (String target : new String[]{frontDoor(), agent()}) {
            String error = assertRefused(json(target, HostileRequests.request(
                    HostileRequests.ids(new JsonArray().add(-1).add(2), 1, 2), HostileRequests.mask(1, 2))), 400, 400);
            assertEquals("input 'input_ids': element 0 is -1, outside the table of " + TextModels.VOCABULARY
                    + " rows it indexes (token ids must lie in [0, " + TextModels.VOCABULARY + "))", error);
        }
    }

    @Example
    void emptyTensorsOfHugeShapesAreRefusedBeforeTheRun() throws Exception {
        for (long[] shape : new long[][]{{0, 1L << 62}, {1L << 40, 0}}) {
            for (String target : new String[]{frontDoor(), agent()}) {
                String error = assertRefused(json(target, HostileRequests.request(
                        HostileRequests.ids(new JsonArray(), shape), HostileRequests.mask(1, 1))), 400, 400);
                assertTrue(error.endsWith("an empty tensor is not a meaningful inference request"), error);
            }
        }
    }

    @Example
    void multipartGarbageIsUnsupportedMediaType() throws Exception {
        byte[] garbage = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\u0000\u00ff--".getBytes(StandardCharsets.ISO_8859_1);
        for (String target : new String[]{frontDoor(), agent()}) {
            String error = assertRefused(infer(target, Map.of("content-type", "multipart/form-data; boundary=b"), garbage),
                    415, 415);
            assertTrue(error.contains("multipart/form-data") && error.contains("application/json"), error);
        }
    }

    @Example
    void jsonSentAsAFormIsServedAsJson() throws Exception {
        byte[] body = HostileRequests.valid().encode().getBytes(StandardCharsets.UTF_8);
        for (String target : new String[]{frontDoor(), agent()}) {
            HttpResponse<String> answer = infer(target, Map.of("content-type", "application/x-www-form-urlencoded"), body);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(2, new JsonObject(answer.body()).getJsonArray("outputs").size());
        }
    }

    @Example
    void aDeletedVersionIsNeverReused() throws Exception {
        URI version = URI.create(cluster.url() + "/v1/models/gone/versions/1");
        Map<String, String> admin = Map.of("authorization", "Bearer " + cluster.adminKey());
        Map<String, String> binary = Map.of("content-type", "application/octet-stream",
                "authorization", "Bearer " + cluster.adminKey());
        assertEquals(201, send(version, "PUT", binary, TextModels.embedder()).statusCode());
        assertEquals(204, send(version, "DELETE", admin, new byte[0]).statusCode());
        String error = assertRefused(send(version, "PUT", binary, TextModels.embedder()), 409, 409);
        assertEquals("version 1 of 'gone' was deleted; versions are never reused", error);
    }

    /** Asserts the answer is a JSON error in [low, high] with no server internals, and both servers live; its text. */
    private static String assertRefused(HttpResponse<String> answer, int low, int high) throws Exception {
        assertTrue(answer.statusCode() >= low && answer.statusCode() <= high,
                "status " + answer.statusCode() + ": " + answer.body());
        assertTrue(answer.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                answer.headers().map().toString());
        Object error = new JsonObject(answer.body()).getValue("error");
        assertTrue(error instanceof String text && !text.isBlank(), answer.body());
        assertFalse(LEAK.matcher((String) error).find(), "leaks internals: " + error);
        assertFalse(((String) error).contains(data.toString()), "leaks the data directory: " + error);
        for (String server : new String[]{frontDoor(), agent()}) {
            HttpResponse<String> live = send(URI.create(server + "/v2/health/live"), "GET", Map.of(), new byte[0]);
            assertEquals(200, live.statusCode(), server + " is down after " + answer.body());
        }
        return (String) error;
    }

    private static String frontDoor() {
        return cluster.url();
    }

    private static String agent() {
        return cluster.agents().get(0).endpoint();
    }

    private static HttpResponse<String> json(String target, JsonObject body) throws Exception {
        return infer(target, Map.of("content-type", "application/json"), body.encode().getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> infer(String target, Map<String, String> headers, byte[] body) throws Exception {
        sent.incrementAndGet();
        return send(URI.create(target + "/v2/models/" + HostileRequests.MODEL + "/infer"), "POST", headers, body);
    }

    private static HttpResponse<String> send(URI uri, String method, Map<String, String> headers, byte[] body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .method(method, body.length == 0 && !method.equals("POST") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (uri.toString().startsWith(agent())) {
            // Placement's key: the agent answers nothing else, and what it does with hostile input is the question.
            request.header(RecordSigner.AGENT_KEY_HEADER, RecordSigner.thisRun().agentKey());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
