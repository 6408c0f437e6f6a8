package io.trims.launcher;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.trims.protocol.grpc.GRPCInferenceServiceGrpc;
import io.trims.protocol.grpc.InferTensorContents;
import io.trims.protocol.grpc.ModelConfigRequest;
import io.trims.protocol.grpc.ModelInferRequest;
import io.trims.protocol.grpc.ModelInferResponse;
import io.trims.protocol.grpc.ModelMetadataRequest;
import io.trims.protocol.grpc.ModelMetadataResponse;
import io.trims.protocol.grpc.ModelReadyRequest;
import io.trims.protocol.grpc.ModelStatistics;
import io.trims.protocol.grpc.ModelStatisticsRequest;
import io.trims.protocol.grpc.ModelRepositoryParameter;
import io.trims.protocol.grpc.RepositoryIndexRequest;
import io.trims.protocol.grpc.RepositoryIndexResponse;
import io.trims.protocol.grpc.RepositoryModelLoadRequest;
import io.trims.protocol.grpc.RepositoryModelUnloadRequest;
import io.trims.protocol.grpc.ServerLiveRequest;
import io.trims.protocol.grpc.ServerMetadataRequest;
import io.trims.protocol.grpc.ServerReadyRequest;
import io.trims.protocol.tensor.DataType;
import io.trims.testmodels.OnnxModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front door's gRPC endpoint on a whole cluster in this JVM (embedded S3, Hazelcast members, one agent running
 * ONNX Runtime), called through a blocking stub generated from the same proto as the server: health, metadata equal
 * to REST's, inference equal byte for byte to the REST JSON answer for the same inputs (raw and typed contents),
 * and the gRPC codes of unknown models, bad inputs, oversized messages and a cluster without agents.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcEndToEndTest {

    private static final int IN = 4;
    private static final int OUT = 3;
    private static final int ROWS = 2;
    private static final long MAX_REQUEST_BYTES = 64 << 10;
    private static final float[] X = {0.5f, -1.25f, 3.0f, 0.1f, 2.0f, 0.0f, -0.3f, 7.75f};

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;
    private static ManagedChannel channel;
    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.start(data, Map.of(
                "TRIMS_AGENTS", "1",
                "TRIMS_INFER_THREADS", "1",
                "TRIMS_SERVICES_INSTANCES", "1",
                "TRIMS_MAX_REQUEST_BYTES", Long.toString(MAX_REQUEST_BYTES)));
        upload("mm", OnnxModels.matMulAdd(IN, OUT, 7));
        upload("same64", OnnxModels.identity(DataType.INT64));
        upload("same8", OnnxModels.identity(DataType.UINT8));
        upload("same32", OnnxModels.identity(DataType.FP32));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.grpcPort()).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
        // The admin key: repository load and unload are writes.
        Metadata key = new Metadata();
        key.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + cluster.adminKey());
        grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key));
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
    @Order(1)
    void theServerIsLiveReadyAndSaysWhatItIs() throws Exception {
        assertTrue(stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertEquals("trims", stub().serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName());
        assertFalse(stub().modelReady(ModelReadyRequest.newBuilder().setName("mm").build()).getReady(),
                "registered but in no host's memory yet");

        stub().repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("mm")
                .putParameters("version", ModelRepositoryParameter.newBuilder().setStringParam("1").build()).build());
        assertTrue(stub().modelReady(ModelReadyRequest.newBuilder().setName("mm").build()).getReady());
        assertTrue(stub().modelReady(ModelReadyRequest.newBuilder().setName("mm").setVersion("1").build()).getReady());
        assertTrue(new JsonObject(get("/v2/models/mm/ready").body()).getBoolean("ready"), "REST agrees");
    }

    @Test
    @Order(2)
    void modelMetadataIsRestsMetadata() throws Exception {
        JsonObject rest = new JsonObject(get("/v2/models/mm").body());
        ModelMetadataResponse metadata = stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("mm").build());
        assertEquals(rest.getString("name"), metadata.getName());
        assertEquals(rest.getJsonArray("versions").getList(), metadata.getVersionsList());
        assertEquals(rest.getString("platform"), metadata.getPlatform());
        assertEquals(rest.getJsonArray("inputs"), specs(metadata.getInputsList()));
        assertEquals(rest.getJsonArray("outputs"), specs(metadata.getOutputsList()));

        var config = stub().modelConfig(ModelConfigRequest.newBuilder().setName("mm").build()).getConfig();
        assertEquals("mm", config.getName());
        assertEquals(List.of(-1L, (long) IN), config.getInput(0).getDimsList());
        assertEquals(io.trims.protocol.grpc.DataType.TYPE_FP32, config.getInput(0).getDataType());

        RepositoryIndexResponse ready = stub().repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build());
        assertEquals(List.of("mm"), ready.getModelsList().stream().map(m -> m.getName()).toList());
        assertEquals("READY", ready.getModels(0).getState());
        RepositoryIndexResponse all = stub().repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
        assertEquals(List.of("mm", "same32", "same64", "same8"), all.getModelsList().stream().map(m -> m.getName()).toList());
        assertEquals(new JsonArray(get("/v2/repository/index").body()).getJsonObject(2).getString("state"),
                all.getModels(2).getState(), "REST's index, state for state");
    }

    @Test
    @Order(3)
    void rawContentsGiveTheRestAnswerByteForByte() throws Exception {
        ModelInferResponse answer = stub().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("mm").setId("r-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("FP32")
                        .addShape(ROWS).addShape(IN))
                .addRawInputContents(littleEndian(X))
                .build());
        JsonObject restOutput = restInfer("mm", new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                .put("name", "X").put("datatype", "FP32").put("shape", new JsonArray().add(ROWS).add(IN))
                .put("data", json(X))))).getJsonArray("outputs").getJsonObject(0);

        assertEquals("mm", answer.getModelName());
        assertEquals("1", answer.getModelVersion());
        assertEquals("r-1", answer.getId());
        assertEquals(1, answer.getOutputsCount());
        assertEquals(restOutput.getString("name"), answer.getOutputs(0).getName());
        assertEquals("FP32", answer.getOutputs(0).getDatatype());
        assertEquals(List.of((long) ROWS, (long) OUT), answer.getOutputs(0).getShapeList());
        assertArrayEquals(littleEndian(floats(restOutput.getJsonArray("data"))).toByteArray(),
                answer.getRawOutputContents(0).toByteArray());
        assertFalse(answer.getOutputs(0).hasContents(), "raw in, raw out");
    }

    @Test
    @Order(4)
    void typedContentsGiveTypedOutputsEqualToRest() throws Exception {
        InferTensorContents.Builder x = InferTensorContents.newBuilder();
        for (float v : X) {
            x.addFp32Contents(v);
        }
        ModelInferResponse answer = stub().modelInfer(ModelInferRequest.newBuilder().setModelName("mm")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("FP32")
                        .addShape(ROWS).addShape(IN).setContents(x))
                .build());
        JsonArray rest = restInfer("mm", new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                .put("name", "X").put("datatype", "FP32").put("shape", new JsonArray().add(ROWS).add(IN))
                .put("data", json(X))))).getJsonArray("outputs").getJsonObject(0).getJsonArray("data");
        assertEquals(0, answer.getRawOutputContentsCount(), "typed in, typed out");
        List<Float> got = answer.getOutputs(0).getContents().getFp32ContentsList();
        float[] want = floats(rest);
        assertEquals(want.length, got.size());
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got.get(i)), "element " + i);
        }

        List<Long> longs = List.of(Long.MIN_VALUE, -1L, 0L, 1L << 53 | 1, Long.MAX_VALUE);
        ModelInferResponse same64 = stub().modelInfer(ModelInferRequest.newBuilder().setModelName("same64")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("INT64")
                        .addShape(longs.size()).setContents(InferTensorContents.newBuilder().addAllInt64Contents(longs)))
                .build());
        assertEquals(longs, same64.getOutputs(0).getContents().getInt64ContentsList());
    }

    @Test
    @Order(5)
    void rawUint8RoundTripsEveryByte() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        ModelInferResponse answer = stub().modelInfer(ModelInferRequest.newBuilder().setModelName("same8")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("UINT8")
                        .addShape(bytes.length))
                .addRawInputContents(ByteString.copyFrom(bytes))
                .build());
        assertEquals("UINT8", answer.getOutputs(0).getDatatype());
        assertArrayEquals(bytes, answer.getRawOutputContents(0).toByteArray());
    }

    /** The hop to the agent is binary, so values JSON cannot write reach the model and come back bit for bit. */
    @Test
    @Order(5)
    void nanAndInfinitiesPassBitForBit() {
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE,
                Float.MAX_VALUE};
        ModelInferResponse raw = stub().modelInfer(ModelInferRequest.newBuilder().setModelName("same32")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("FP32")
                        .addShape(special.length))
                .addRawInputContents(littleEndian(special)).build());
        assertArrayEquals(littleEndian(special).toByteArray(), raw.getRawOutputContents(0).toByteArray());

        InferTensorContents.Builder typed = InferTensorContents.newBuilder();
        for (float v : special) {
            typed.addFp32Contents(v);
        }
        List<Float> back = stub().modelInfer(ModelInferRequest.newBuilder().setModelName("same32")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("FP32")
                        .addShape(special.length).setContents(typed)).build())
                .getOutputs(0).getContents().getFp32ContentsList();
        for (int i = 0; i < special.length; i++) {
            assertEquals(Float.floatToRawIntBits(special[i]), Float.floatToRawIntBits(back.get(i)), "element " + i);
        }
    }

    @Test
    @Order(6)
    void errorsHaveTheirGrpcCodesAndSayWhatIsWrong() {
        ModelInferRequest.InferInputTensor x = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("X").setDatatype("FP32").addShape(ROWS).addShape(IN).build();
        ByteString raw = littleEndian(X);

        assertCode(Status.Code.NOT_FOUND, "unknown model 'nope'", () -> stub().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("nope").addInputs(x).addRawInputContents(raw).build()));
        assertCode(Status.Code.NOT_FOUND, "unknown model 'nope'",
                () -> stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()));
        assertCode(Status.Code.NOT_FOUND, "unknown version '9'",
                () -> stub().modelReady(ModelReadyRequest.newBuilder().setName("mm").setVersion("9").build()));
        assertCode(Status.Code.INVALID_ARGUMENT, "model name is missing",
                () -> stub().modelInfer(ModelInferRequest.newBuilder().addInputs(x).addRawInputContents(raw).build()));
        // Refused by the agent, as the same REST request is.
        assertCode(Status.Code.INVALID_ARGUMENT, "model expects FP32, got INT32",
                () -> stub().modelInfer(ModelInferRequest.newBuilder().setModelName("mm")
                        .addInputs(x.toBuilder().setDatatype("INT32")).addRawInputContents(raw).build()));
        // Refused at the front door.
        assertCode(Status.Code.INVALID_ARGUMENT, "input 'X': raw_input_contents holds 28 bytes; shape [2,4] of FP32 needs 32",
                () -> stub().modelInfer(ModelInferRequest.newBuilder().setModelName("mm").addInputs(x)
                        .addRawInputContents(raw.substring(4)).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, "needs 8 values in contents.fp32_contents",
                () -> stub().modelInfer(ModelInferRequest.newBuilder().setModelName("mm")
                        .addInputs(x.toBuilder().setContents(InferTensorContents.newBuilder().addIntContents(1)))
                        .build()));
        assertCode(Status.Code.INVALID_ARGUMENT, "unsupported datatype 'FP8'",
                () -> stub().modelInfer(ModelInferRequest.newBuilder().setModelName("mm")
                        .addInputs(x.toBuilder().setDatatype("FP8")).addRawInputContents(raw).build()));
        int floats = (int) (MAX_REQUEST_BYTES / 4) + 1;
        assertCode(Status.Code.RESOURCE_EXHAUSTED, "",
                () -> stub().modelInfer(ModelInferRequest.newBuilder().setModelName("mm")
                        .addInputs(x.toBuilder().clearShape().addShape(floats / IN + 1).addShape(IN))
                        .addRawInputContents(littleEndian(new float[(floats / IN + 1) * IN])).build()));
        assertCode(Status.Code.NOT_FOUND, "unknown model 'nope'",
                () -> stub().modelStatistics(ModelStatisticsRequest.newBuilder().setName("nope").build()));
    }

    @Test
    @Order(6)
    void statisticsAreRestsStatistics() throws Exception {
        JsonObject rest = new JsonObject(get("/v2/models/mm/stats").body()).getJsonArray("model_stats").getJsonObject(0);
        ModelStatistics grpc = stub().modelStatistics(ModelStatisticsRequest.newBuilder().setName("mm").build())
                .getModelStats(0);
        JsonObject success = rest.getJsonObject("inference_stats").getJsonObject("success");
        assertEquals("mm", grpc.getName());
        assertEquals(rest.getString("version"), grpc.getVersion());
        assertEquals(rest.getLong("inference_count"), grpc.getInferenceCount());
        assertTrue(grpc.getInferenceCount() >= 3, "gRPC and REST infers are counted: " + grpc);
        assertEquals(success.getLong("count"), grpc.getInferenceStats().getSuccess().getCount());
        assertEquals(success.getLong("ns"), grpc.getInferenceStats().getSuccess().getNs());
        assertTrue(grpc.getInferenceStats().getComputeInfer().getNs() > 0, grpc.toString());
        assertTrue(stub().modelStatistics(ModelStatisticsRequest.getDefaultInstance()).getModelStatsCount() >= 1);
    }

    @Test
    @Order(7)
    void unloadLetsTheModelGoAndKeepsItsRegistration() throws Exception {
        assertCode(Status.Code.INVALID_ARGUMENT, "takes no 'config'",
                () -> stub().repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("mm")
                        .putParameters("config", ModelRepositoryParameter.newBuilder().setStringParam("{}").build())
                        .build()));
        assertCode(Status.Code.NOT_FOUND, "version '9'",
                () -> stub().repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("mm")
                        .putParameters("version", ModelRepositoryParameter.newBuilder().setInt64Param(9).build())
                        .build()));

        stub().repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("mm").build());
        assertFalse(stub().modelReady(ModelReadyRequest.newBuilder().setName("mm").build()).getReady());
        assertEquals("UNAVAILABLE", stub().repositoryIndex(RepositoryIndexRequest.getDefaultInstance())
                .getModels(0).getState());
        assertEquals(1, stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("mm").build())
                .getVersionsCount(), "still registered");
    }

    @Test
    @Order(8)
    void withoutAgentsInferenceIsUnavailable() throws Exception {
        cluster.agents().get(0).stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertFalse(stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertFalse(stub().modelReady(ModelReadyRequest.newBuilder().setName("mm").build()).getReady());
        assertCode(Status.Code.UNAVAILABLE, "no live host can serve model 'mm'",
                () -> stub().modelInfer(ModelInferRequest.newBuilder().setModelName("mm")
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("FP32")
                                .addShape(ROWS).addShape(IN))
                        .addRawInputContents(littleEndian(X)).build()));
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() {
        return grpc.withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static void assertCode(Status.Code code, String fragment, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus()));
        String description = String.valueOf(e.getStatus().getDescription());
        assertTrue(description.contains(fragment), "'" + description + "' should say '" + fragment + "'");
    }

    private static JsonArray specs(List<ModelMetadataResponse.TensorMetadata> tensors) {
        JsonArray specs = new JsonArray();
        tensors.forEach(t -> specs.add(new JsonObject().put("name", t.getName()).put("datatype", t.getDatatype())
                .put("shape", new JsonArray(t.getShapeList().stream().map(d -> (Object) d.intValue()).toList()))));
        return specs;
    }

    private static ByteString littleEndian(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        return ByteString.copyFrom(bytes.flip());
    }

    private static JsonArray json(float[] values) {
        JsonArray array = new JsonArray();
        for (float v : values) {
            array.add(v);
        }
        return array;
    }

    private static float[] floats(JsonArray values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.getValue(i)).floatValue();
        }
        return out;
    }

    private static void upload(String name, byte[] model) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/v1/models/" + name + "/versions/1"))
                .header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + cluster.adminKey()).PUT(HttpRequest.BodyPublishers.ofByteArray(model)));
        assertEquals(201, answer.statusCode(), answer.body());
    }

    private static JsonObject restInfer(String model, JsonObject body) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/v2/models/" + model + "/infer"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
        assertEquals(200, answer.statusCode(), answer.body());
        return new JsonObject(answer.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(path)).GET());
        assertEquals(200, answer.statusCode(), answer.body());
        return answer;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create(cluster.url() + path);
    }
}
