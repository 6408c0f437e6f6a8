package io.trims.registry;

import io.trims.protocol.tensor.DataType;
import io.trims.testmodels.OnnxGraphBuilder;
import io.trims.testmodels.OnnxModels;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hazelcast.core.HazelcastInstance;
import io.trims.protocol.http.HttpErrors;
import io.trims.protocol.http.Metrics;
import io.trims.objectstore.embedded.EmbeddedS3Server;
import io.trims.objectstore.MinioObjectStore;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.trims.directory.TierDirectory;
import io.trims.directory.LocalMembers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryRoutesTest {

    private static final long LIMIT = 4096;

    @TempDir
    static Path dir;

    private static HazelcastInstance hazelcast;
    private static TierDirectory directory;
    private static EmbeddedS3Server s3;
    private static MinioObjectStore objects;
    private static Metrics metrics;
    private static Vertx vertx;
    private static WebClient client;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        hazelcast = LocalMembers.startAlone("test-" + UUID.randomUUID());
        directory = new TierDirectory(hazelcast);
        s3 = new EmbeddedS3Server(dir.resolve("s3"), 0, "trims", "trims-secret").start();
        objects = MinioObjectStore.open(s3.endpoint(), "trims", "trims-secret", "registry-test");
        metrics = Metrics.create();
        vertx = Vertx.vertx();
        port = serve(directory, metrics, LIMIT);
        client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    }

    /** A registry over the shared object store and {@code tiers}, on its own HTTP server; returns the port. */
    private static int serve(TierDirectory tiers, Metrics meters, long limit) throws Exception {
        return serve(tiers, meters, limit, dir.resolve("spool"), GpuCheck.executor());
    }

    private static int serve(TierDirectory tiers, Metrics meters, long limit, Path spool) throws Exception {
        return serve(tiers, meters, limit, spool, GpuCheck.executor());
    }

    private static int serve(TierDirectory tiers, Metrics meters, long limit, GpuCheck gpuCheck) throws Exception {
        return serve(tiers, meters, limit, dir.resolve("spool"), gpuCheck);
    }

    private static int serve(TierDirectory tiers, Metrics meters, long limit, Path spool, GpuCheck gpuCheck)
            throws Exception {
        Router router = Router.router(vertx);
        HttpErrors.install(router);
        meters.mount(router);
        RegistryRoutes.mount(router, vertx, objects, tiers, new RegistryConfig(limit, spool), meters.registry(), gpuCheck)
                .await(20, TimeUnit.SECONDS);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        metrics.close();
        objects.close();
        s3.close();
        directory.close();
        hazelcast.shutdown();
    }

    private static HttpResponse<Buffer> put(String path, byte[] body) throws Exception {
        return client.put(path).sendBuffer(Buffer.buffer(body)).await(20, TimeUnit.SECONDS);
    }

    private static HttpResponse<Buffer> get(String path) throws Exception {
        return client.get(path).send().await(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<Buffer> delete(String path) throws Exception {
        return client.delete(path).send().await(10, TimeUnit.SECONDS);
    }

    private static void assertError(HttpResponse<Buffer> response, int status, String messageStart) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        String error = response.bodyAsJsonObject().getString("error");
        assertTrue(error.startsWith(messageStart), error);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void anUploadAndADeletionEachLogOneInfoLine() throws Exception {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger logger = (Logger) LoggerFactory.getLogger(RegistryRoutes.class);
        logger.addAppender(lines);
        try {
            byte[] model = OnnxModels.relu(5);
            assertEquals(201, put("/v1/models/logged/versions/7", model).statusCode());
            assertEquals(204, delete("/v1/models/logged/versions/7").statusCode());
            List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(2, messages.size(), messages.toString());
            assertTrue(messages.get(0).matches("registry: uploaded logged v7, " + model.length
                    + " bytes in \\d+ ms \\(sha256 " + sha256(model) + "\\)"), messages.get(0));
            assertEquals("registry: deleted logged v7", messages.get(1));
            assertTrue(lines.list.stream().allMatch(e -> e.getLevel() == Level.INFO));
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void aModelWithAnOperatorTheGpuExecutorLacksIsRegisteredCpuOnly() throws Exception {
        String reason = "operator Floor (node /Floor/Y) has no GPU kernel";
        try {
            HttpResponse<Buffer> created = put("/v1/models/cpu-only/versions/1", new OnnxGraphBuilder(13).input("X", DataType.FP32, "N", 3)
                    .output("Y", DataType.FP32, "N", 3).node("Floor", "Y", new String[]{"X"}).bytes());
            assertEquals(201, created.statusCode(), created.bodyAsString());
            assertFalse(created.bodyAsJsonObject().getBoolean("gpu"));
            assertEquals(reason, created.bodyAsJsonObject().getString("gpu_unsupported_reason"));
            ModelRecord published = directory.model(new ModelId("cpu-only", "1")).orElseThrow();
            assertEquals(reason, published.gpuUnsupportedReason());
            try (var in = objects.get("models/cpu-only/1/manifest.json")) {
                assertEquals(published, ModelRecordJson.fromJson(Buffer.buffer(in.readAllBytes()).toJsonObject()));
            }
            HttpResponse<Buffer> capable = put("/v1/models/gpu-capable/versions/1", OnnxModels.relu(3));
            assertTrue(capable.bodyAsJsonObject().getBoolean("gpu"));
            assertEquals("", directory.model(new ModelId("gpu-capable", "1")).orElseThrow().gpuUnsupportedReason());
        } finally {
            delete("/v1/models/cpu-only/versions/1");
            delete("/v1/models/gpu-capable/versions/1");
        }
    }

    @Test
    void theGpuCheckCanBeGivenToTheRegistry() throws Exception {
        // Another check (here: every model is CPU-only) is stored and published the same way.
        int port = serve(directory, metrics, LIMIT, model -> java.util.Optional.of("no GPU hosts in this cluster"));
        WebClient other = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
        try {
            HttpResponse<Buffer> created = other.put("/v1/models/anywhere/versions/1")
                    .sendBuffer(Buffer.buffer(OnnxModels.relu(3))).await(20, TimeUnit.SECONDS);
            assertEquals(201, created.statusCode(), created.bodyAsString());
            assertEquals("no GPU hosts in this cluster",
                    directory.model(new ModelId("anywhere", "1")).orElseThrow().gpuUnsupportedReason());
        } finally {
            other.close();
            delete("/v1/models/anywhere/versions/1");
        }
    }

    @Test
    void uploadListShowDelete() throws Exception {
        byte[] onnx = OnnxModels.relu(4);
        HttpResponse<Buffer> created = put("/v1/models/relu/versions/1", onnx);
        assertEquals(201, created.statusCode(), created.bodyAsString());
        JsonObject record = created.bodyAsJsonObject();
        assertEquals("relu", record.getString("name"));
        assertEquals("1", record.getString("version"));
        assertEquals(sha256(onnx), record.getString("sha256"));
        assertEquals(onnx.length, record.getLong("size_bytes"));
        assertTrue(record.getString("created_at").endsWith("Z"), record.getString("created_at"));
        assertEquals(new JsonArray().add(new JsonObject().put("name", "X").put("datatype", "FP32")
                .put("shape", new JsonArray().add(-1).add(4))), record.getJsonArray("inputs"));
        assertEquals("Y", record.getJsonArray("outputs").getJsonObject(0).getString("name"));

        ModelRecord published = directory.model(new ModelId("relu", "1")).orElseThrow();
        assertEquals("models/relu/1/model.onnx", published.objectKey());
        assertEquals(List.of(new TensorSpec("X", "FP32", new long[]{-1, 4})), published.inputs());
        assertEquals(OptionalLong.of(onnx.length), objects.size("models/relu/1/model.onnx"));
        try (var in = objects.get("models/relu/1/model.onnx")) {
            assertArrayEquals(onnx, in.readAllBytes());
        }
        try (var in = objects.get("models/relu/1/manifest.json")) {
            assertEquals(published, ModelRecordJson.fromJson(Buffer.buffer(in.readAllBytes()).toJsonObject()));
        }

        assertEquals(201, put("/v1/models/relu/versions/2", OnnxModels.relu(8)).statusCode());
        JsonArray all = get("/v1/models").bodyAsJsonObject().getJsonArray("models");
        assertTrue(all.stream().anyMatch(m -> ((JsonObject) m).getString("name").equals("relu")), all.encode());
        JsonObject versions = get("/v1/models/relu").bodyAsJsonObject();
        assertEquals(List.of("1", "2"), versions.getJsonArray("versions").stream()
                .map(v -> ((JsonObject) v).getString("version")).toList());
        HttpResponse<Buffer> shown = get("/v1/models/relu/versions/2");
        assertEquals(200, shown.statusCode());
        assertEquals(8, shown.bodyAsJsonObject().getJsonArray("inputs").getJsonObject(0).getJsonArray("shape").getLong(1));

        assertEquals(204, delete("/v1/models/relu/versions/1").statusCode());
        assertError(get("/v1/models/relu/versions/1"), 404, "no model 'relu' version '1'");
        assertTrue(directory.model(new ModelId("relu", "1")).isEmpty());
        assertEquals(List.of("models/relu/1/deleted.json"), objects.list("models/relu/1/"));
        assertEquals(1, get("/v1/models/relu").bodyAsJsonObject().getJsonArray("versions").size());
    }

    @Test
    void aDeletedVersionIsNeverReused() throws Exception {
        assertEquals(201, put("/v1/models/tomb/versions/1", OnnxModels.relu(4)).statusCode());
        assertEquals(204, delete("/v1/models/tomb/versions/1").statusCode());
        assertError(put("/v1/models/tomb/versions/1", OnnxModels.relu(8)), 409,
                "version 1 of 'tomb' was deleted; versions are never reused");
        assertTrue(directory.model(new ModelId("tomb", "1")).isEmpty());
        assertEquals(201, put("/v1/models/tomb/versions/2", OnnxModels.relu(8)).statusCode());
    }

    @Test
    void signatureKeepsInputOrderAndTypes() throws Exception {
        HttpResponse<Buffer> created = put("/v1/models/adder/versions/v1.0", new OnnxGraphBuilder(13).input("A", DataType.INT64, "N", 3).input("B", DataType.INT64, "N", 3)
                .output("Y", DataType.INT64, "N", 3).node("Add", "Y", new String[]{"A", "B"}).bytes());
        assertEquals(201, created.statusCode(), created.bodyAsString());
        JsonArray inputs = created.bodyAsJsonObject().getJsonArray("inputs");
        assertEquals(List.of("A", "B"), inputs.stream().map(i -> ((JsonObject) i).getString("name")).toList());
        assertEquals("INT64", inputs.getJsonObject(1).getString("datatype"));
    }

    @Test
    void garbageIsNotAModel() throws Exception {
        assertError(put("/v1/models/junk/versions/1", "this is not protobuf at all".getBytes()), 422,
                "not a valid ONNX model: ");
        assertError(put("/v1/models/empty/versions/1", new byte[0]), 422, "not a valid ONNX model: the file is empty");
        byte[] model = OnnxModels.relu(3);
        HttpResponse<Buffer> truncated = put("/v1/models/truncated/versions/1", Arrays.copyOf(model, model.length - 5));
        assertError(truncated, 422, "not a valid ONNX model: the file cannot be decoded as ONNX protobuf");
        assertFalse(truncated.bodyAsString().contains("trims-upload-"), "the spool file is not named to the client");
        assertTrue(directory.model(new ModelId("junk", "1")).isEmpty());
        assertTrue(objects.list("models/junk/").isEmpty());
    }

    @Test
    void badNamesAre400() throws Exception {
        byte[] onnx = OnnxModels.relu(2);
        assertError(put("/v1/models/a..b/versions/1", onnx), 400, "model name 'a..b' is invalid: it must not contain '..'");
        assertError(put("/v1/models/a%2Fb/versions/1", onnx), 400, "model name 'a/b' is invalid");
        assertError(put("/v1/models/.hidden/versions/1", onnx), 400, "model name '.hidden' is invalid");
        assertError(put("/v1/models/ok/versions/1%202", onnx), 400, "model version '1 2' is invalid");
        assertError(put("/v1/models/" + "n".repeat(129) + "/versions/1", onnx), 400, "model name 'nnn");
        assertError(get("/v1/models/a..b"), 400, "model name 'a..b' is invalid");
        assertTrue(objects.list("models/a/").isEmpty());
        assertTrue(objects.list("models/a..b/").isEmpty());
    }

    @Test
    void existingVersionIs409() throws Exception {
        assertEquals(201, put("/v1/models/dup/versions/1", OnnxModels.relu(2)).statusCode());
        assertError(put("/v1/models/dup/versions/1", OnnxModels.relu(3)), 409,
                "model 'dup' version '1' exists; versions are immutable");
        assertEquals(2, directory.model(new ModelId("dup", "1")).orElseThrow().inputs().get(0).shape()[1]);
    }

    @Test
    void unknownModelIs404() throws Exception {
        assertError(get("/v1/models/nobody/versions/1"), 404, "no model 'nobody' version '1'");
        assertError(get("/v1/models/nobody"), 404, "no model 'nobody'");
        assertError(delete("/v1/models/nobody/versions/1"), 404, "no model 'nobody' version '1'");
    }

    @Test
    void overTheLimitIs413() throws Exception {
        byte[] big = new byte[(int) LIMIT + 1];
        assertError(put("/v1/models/big/versions/1", big), 413, "model is larger than the registry accepts");

        // Without a content-length the limit is enforced while streaming.
        Path file = dir.resolve("big.bin");
        Files.write(file, new byte[(int) LIMIT * 4]);
        AsyncFile stream = vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)).await(10, TimeUnit.SECONDS);
        HttpResponse<Buffer> chunked = client.put("/v1/models/big/versions/2").sendStream(stream).await(20, TimeUnit.SECONDS);
        assertError(chunked, 413, "model is larger than the registry accepts");
        assertTrue(objects.list("models/big/").isEmpty());
        assertTrue(directory.versions("big").isEmpty());
    }

    @Test
    void uploadsAreCounted() throws Exception {
        assertEquals(201, put("/v1/models/counted/versions/1", OnnxModels.relu(2)).statusCode());
        String text = get("/metrics").bodyAsString();
        assertTrue(text.matches("(?s).*trims_registry_uploads_total\\{outcome=\"created\"} [1-9].*"), text);
        assertTrue(text.matches("(?s).*trims_registry_upload_bytes_total [1-9].*"), text);
    }

    @Test
    void largeUploadIsStreamedInChunks() throws Exception {
        byte[] onnx = OnnxModels.matMulAdd(256, 1024, 1); // about 1 MiB: many chunks through the pipe
        try (Metrics otherMetrics = Metrics.create()) {
            int port = serve(directory, otherMetrics, 4L * 1024 * 1024, dir.resolve("wide-spool"));
            HttpResponse<Buffer> created = client.put(port, "127.0.0.1", "/v1/models/wide/versions/1")
                    .sendBuffer(Buffer.buffer(onnx)).await(30, TimeUnit.SECONDS);
            assertEquals(201, created.statusCode(), created.bodyAsString());
            assertEquals(sha256(onnx), created.bodyAsJsonObject().getString("sha256"));
            assertEquals(onnx.length, created.bodyAsJsonObject().getLong("size_bytes"));
            assertEquals(1024, created.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0)
                    .getJsonArray("shape").getLong(1));
            assertEquals(OptionalLong.of(onnx.length), objects.size("models/wide/1/model.onnx"));
        }
        try (var files = Files.list(dir.resolve("wide-spool"))) {
            assertEquals(0, files.count(), "spool files are removed");
        }
    }

    @Test
    void clientExpectingContinueGetsIt() throws Exception {
        byte[] onnx = OnnxModels.relu(6);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models/curl/versions/1"))
                .expectContinue(true)
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(onnx))
                .build();
        java.net.http.HttpResponse<String> response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        assertEquals(sha256(onnx), new JsonObject(response.body()).getString("sha256"));
    }

    @Test
    void catalogueIsRestoredFromTheStore() throws Exception {
        byte[] onnx = OnnxModels.relu(5);
        assertEquals(201, put("/v1/models/durable/versions/7", onnx).statusCode());
        HazelcastInstance other = LocalMembers.startAlone("test-" + UUID.randomUUID());
        try (TierDirectory fresh = new TierDirectory(other); Metrics otherMetrics = Metrics.create()) {
            assertTrue(fresh.models().isEmpty());
            int port = serve(fresh, otherMetrics, LIMIT);
            ModelRecord restored = fresh.model(new ModelId("durable", "7")).orElseThrow();
            assertEquals(sha256(onnx), restored.sha256());
            assertEquals(directory.model(new ModelId("durable", "7")).orElseThrow(), restored);
            HttpResponse<Buffer> shown = client.get(port, "127.0.0.1", "/v1/models/durable/versions/7").send()
                    .await(10, TimeUnit.SECONDS);
            assertEquals(200, shown.statusCode());
            assertFalse(shown.bodyAsJsonObject().getJsonArray("outputs").isEmpty());
        } finally {
            other.shutdown();
        }
    }
}
