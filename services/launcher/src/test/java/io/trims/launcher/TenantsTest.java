package io.trims.launcher;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.trims.launcher.cli.Cli;
import io.trims.protocol.auth.ApiKeys;
import io.trims.protocol.grpc.GRPCInferenceServiceGrpc;
import io.trims.protocol.grpc.InferTensorContents;
import io.trims.protocol.grpc.ModelInferRequest;
import io.trims.protocol.grpc.ModelMetadataRequest;
import io.trims.protocol.grpc.ServerLiveRequest;
import io.trims.testmodels.OnnxModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API keys, tenants and quotas over real HTTP and gRPC against a whole embedded cluster (one agent running ONNX
 * Runtime) that needs a key for everything but health (TRIMS_AUTH_OPEN=none); its metrics need the metrics key
 * (TRIMS_METRICS_KEY) or the admin key. The tenants' keys are made by {@code trims key}, whose lines are the keys file
 * as given.
 */
class TenantsTest {

    private static final int IN = 4;
    private static final int OUT = 3;

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;
    private static ManagedChannel channel;
    private static final Map<String, String> keys = new HashMap<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path keysFile;

    @BeforeAll
    static void start() throws Exception {
        List<String> lines = new ArrayList<>();
        // Tenant q may send 3 requests a second; tenant s may register 100 bytes of models.
        for (String[] tenant : new String[][]{{"a", "write", ""}, {"b", "write", ""}, {"r", "read", ""},
                {"q", "read", ":3:0"}, {"s", "write", ":0:100"}}) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            int status = new Cli(URI.create("http://localhost:1"), null, new PrintStream(text, true, StandardCharsets.UTF_8))
                    .run("key", List.of(tenant[0], tenant[1]));
            assertEquals(0, status, text.toString(StandardCharsets.UTF_8));
            String[] out = text.toString(StandardCharsets.UTF_8).split("\n");
            keys.put(tenant[0], out[0].substring(out[0].lastIndexOf(' ') + 1).trim());
            lines.add(out[2].trim() + tenant[2]);
        }
        keysFile = data.resolve("keys");
        Files.write(keysFile, lines);
        keys.put("metrics", ApiKeys.newKey());
        cluster = TestClusters.start(data, Map.of(
                "TRIMS_AGENTS", "1",
                "TRIMS_INFER_THREADS", "1",
                "TRIMS_SERVICES_INSTANCES", "1",
                "TRIMS_AUTH_OPEN", "none",
                "TRIMS_METRICS_KEY", keys.get("metrics"),
                "TRIMS_API_KEYS_FILE", keysFile.toString()));
        keys.put("admin", cluster.adminKey());
        assertEquals(201, upload("a", "secret", "").statusCode());
        assertEquals(201, upload("a", "shared", "?visibility=public").statusCode());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.grpcPort()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theKeysFileHoldsNoKey() throws Exception {
        String file = Files.readString(keysFile);
        for (String key : keys.values()) {
            assertFalse(file.contains(key));
        }
        assertTrue(file.startsWith("a:write:"), file);
    }

    @Test
    void withoutAKeyOnlyHealthAnswers() throws Exception {
        HttpResponse<String> anonymousUpload = upload(null, "anon", "");
        assertEquals(401, anonymousUpload.statusCode(), anonymousUpload.body());
        assertTrue(anonymousUpload.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, send(null, "GET", "/v2/models/shared", null).statusCode());
        assertEquals(401, send(null, "GET", "/v1/models", null).statusCode());
        assertEquals(401, send("nonsense", "GET", "/v2/models/shared", null).statusCode());
        HttpResponse<String> badKey = send("trims_not-a-key", "GET", "/v2/models/shared", null);
        assertEquals(401, badKey.statusCode());
        assertTrue(badKey.body().contains("not valid"), badKey.body());
        assertEquals(200, send(null, "GET", "/v2/health/live", null).statusCode());
        assertEquals(401, send(null, "GET", "/metrics", null).statusCode());
        assertEquals(403, send(keys.get("a"), "GET", "/v1/cluster", null).statusCode());
        assertEquals(200, send(keys.get("admin"), "GET", "/v1/cluster", null).statusCode());
        assertEquals(403, upload("r", "readers", "").statusCode());
    }

    @Test
    void onlyTheMetricsKeyAndTheAdminKeyScrape() throws Exception {
        HttpResponse<String> tenant = send(keys.get("b"), "GET", "/metrics", null);
        assertEquals(403, tenant.statusCode(), tenant.body());
        assertFalse(tenant.body().contains("secret"), "tenant b learns nothing of a's private model");
        for (String key : List.of("metrics", "admin")) {
            HttpResponse<String> scrape = send(keys.get(key), "GET", "/metrics", null);
            assertEquals(200, scrape.statusCode(), key + ": " + scrape.body());
            assertTrue(scrape.body().contains("trims_"), key);
        }
        assertEquals(403, send(keys.get("metrics"), "GET", "/v1/models", null).statusCode());
        assertEquals(403, send(keys.get("metrics"), "GET", "/v2/models/shared", null).statusCode());
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> stub(keys.get("metrics")).modelMetadata(
                ModelMetadataRequest.newBuilder().setName("shared").build())));
    }

    @Test
    void anotherTenantsPrivateModelDoesNotExistForIt() throws Exception {
        assertEquals(200, infer("a", "secret").statusCode());
        HttpResponse<String> unknown = send(keys.get("b"), "GET", "/v2/models/nothing-here", null);
        for (String path : List.of("/v2/models/secret", "/v2/models/secret/ready", "/v2/models/secret/config",
                "/v2/models/secret/versions/1", "/v2/models/secret/stats")) {
            HttpResponse<String> hidden = send(keys.get("b"), "GET", path, null);
            assertEquals(404, hidden.statusCode(), path);
            assertEquals(unknown.body().replace("nothing-here", "secret"), hidden.body(), path);
        }
        assertEquals(404, infer("b", "secret").statusCode());
        assertEquals(404, send(keys.get("b"), "GET", "/v1/models/secret/versions/1", null).statusCode());
        assertFalse(send(keys.get("b"), "GET", "/v1/models", null).body().contains("\"secret\""));
        assertFalse(send(keys.get("b"), "POST", "/v2/repository/index", "{}").body().contains("\"secret\""));
        assertFalse(send(keys.get("b"), "GET", "/v2/models/stats", null).body().contains("\"secret\""));
        assertTrue(send(keys.get("a"), "GET", "/v1/models", null).body().contains("\"secret\""));
        assertTrue(send(keys.get("admin"), "GET", "/v1/models", null).body().contains("\"secret\""));
        // A public model is there for both.
        assertEquals(200, infer("b", "shared").statusCode());
        assertTrue(send(keys.get("b"), "GET", "/v1/models", null).body().contains("\"shared\""));
        // Its name is a's: b can neither add versions nor delete it; the admin can.
        assertEquals(409, upload("b", "shared/versions/2", "").statusCode());
        assertEquals(403, send(keys.get("b"), "DELETE", "/v1/models/shared/versions/1", null).statusCode());
        assertEquals(404, send(keys.get("b"), "DELETE", "/v1/models/secret/versions/1", null).statusCode());
        assertEquals(201, upload("a", "doomed", "").statusCode());
        assertEquals(204, send(keys.get("admin"), "DELETE", "/v1/models/doomed/versions/1", null).statusCode());
    }

    @Test
    void gRpcAsksForTheKeyAndHidesWhatRestHides() {
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("secret")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("FP32")
                        .addShape(1).addShape(IN)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(1).addFp32Contents(2)
                                .addFp32Contents(3).addFp32Contents(4)))
                .build();
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> stub(null).modelInfer(request)));
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> stub("trims_wrong").modelInfer(request)));
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub(keys.get("b")).modelInfer(request)));
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub(keys.get("b")).modelMetadata(
                ModelMetadataRequest.newBuilder().setName("secret").build())));
        assertEquals(OUT, stub(keys.get("a")).modelInfer(request).getOutputs(0).getShape(1));
        assertTrue(stub(null).serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
    }

    @Test
    void aTenantOverItsRateIsToldToWait() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(send(keys.get("q"), "GET", "/v2/models/shared", null));
        }
        HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElseThrow(
                () -> new AssertionError("8 requests at once, none refused at 3 per second"));
        assertTrue(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow()) >= 1);
        assertTrue(refused.body().contains("quota"), refused.body());
        assertEquals(200, answers.get(0).statusCode());
    }

    @Test
    void anUploadPastTheBytesQuotaIsRefusedAndNothingIsStored() throws Exception {
        HttpResponse<String> refused = upload("s", "big", "");
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("quota of 100 bytes"), refused.body());
        assertEquals(404, send(keys.get("admin"), "GET", "/v1/models/big/versions/1", null).statusCode());
        try (var stored = Files.walk(data.resolve("s3"))) {
            assertTrue(stored.noneMatch(p -> p.toString().contains("big")));
        }
    }

    private static HttpResponse<String> upload(String tenant, String path, String query) throws Exception {
        String target = path.contains("/") ? path : path + "/versions/1";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.url() + "/v1/models/" + target + query))
                .header("content-type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(OnnxModels.matMulAdd(IN, OUT, 5)));
        return http.send(Cli.withKey(request, tenant == null ? null : keys.get(tenant)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> infer(String tenant, String model) throws Exception {
        JsonObject body = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "X")
                .put("datatype", "FP32").put("shape", new JsonArray().add(1).add(IN))
                .put("data", new JsonArray().add(1).add(2).add(3).add(4))));
        return send(keys.get(tenant), "POST", "/v2/models/" + model + "/infer", body.encode());
    }

    private static HttpResponse<String> send(String key, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.url() + path))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("authorization", key.startsWith("trims_") ? "Bearer " + key : key);
        }
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(String key) {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        if (key == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
