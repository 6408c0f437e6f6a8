package io.trims.launcher;

import io.trims.directory.RecordSigner;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.HalfFloats;
import io.trims.testmodels.OnnxGraphBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static io.trims.launcher.TritonHttp.floats;
import static io.trims.launcher.TritonHttp.json;
import static io.trims.launcher.TritonHttp.longs;
import static io.trims.launcher.TritonHttp.shorts;
import static io.trims.launcher.TritonHttp.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binary tensor data extension through the front door to an agent running ONNX Runtime, with requests built
 * byte by byte as tritonclient.http builds them: the same numbers come back, bit for bit, whichever way each
 * tensor travels; FP16, BF16 and BYTES models round trip; malformed framing is a 400 that says why.
 */
class BinaryTensorDataTest {

    private static final float[] A = {1.5f, -0f, 1f / 3, 0x1p-149f, 1e30f, -7.25f};
    private static final float[] B = {2.25f, 3f, 0.1f, 0x1p-140f, 1e-30f, 1e10f};
    private static final long[] C = {Long.MAX_VALUE, -5};
    private static final String BINARY_INPUTS = "[{\"name\": \"A\", \"shape\": [2, 3], \"datatype\": \"FP32\","
            + " \"parameters\": {\"binary_data_size\": 24}}, {\"name\": \"B\", \"shape\": [2, 3], \"datatype\": \"FP32\","
            + " \"parameters\": {\"binary_data_size\": 24}}, {\"name\": \"C\", \"shape\": [2], \"datatype\": \"INT64\","
            + " \"parameters\": {\"binary_data_size\": 16}}]";
    private static final String JSON_INPUTS = "[{\"name\": \"A\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": "
            + json(A) + "}, {\"name\": \"B\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": " + json(B) + "},"
            + " {\"name\": \"C\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": " + json(C) + "}]";

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The answer to the request in plain JSON, which every other form must match bit for bit. */
    private static TritonHttp.Answer reference;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.start(data, Map.of(
                "TRIMS_AGENTS", "1",
                "TRIMS_INFER_THREADS", "2"));
        upload("mix", new OnnxGraphBuilder(13)
                .input("A", DataType.FP32, "N", 3).input("B", DataType.FP32, "N", 3).input("C", DataType.INT64, "N")
                .output("S", DataType.FP32, "N", 3).output("P", DataType.FP32, "N", 3).output("D", DataType.INT64, "N")
                .node("Add", "S", new String[]{"A", "B"}).node("Mul", "P", new String[]{"A", "B"})
                .node("Neg", "D", new String[]{"C"}).bytes());
        upload("halves", new OnnxGraphBuilder(13)
                .input("H", DataType.FP16, "N").input("B", DataType.BF16, "N")
                .output("H2", DataType.FP16, "N").output("H32", DataType.FP32, "N").output("B2", DataType.BF16, "N")
                .node("Identity", "H2", new String[]{"H"}).node("Cast", "H32", new String[]{"H"}, "to", 1L)
                .node("Identity", "B2", new String[]{"B"}).bytes());
        upload("text", new OnnxGraphBuilder(13).input("S", DataType.BYTES, "N").output("T", DataType.BYTES, "N")
                .node("Identity", "T", new String[]{"S"}).bytes());
        HttpResponse<byte[]> plain = post("mix", ("{\"inputs\": " + JSON_INPUTS + "}").getBytes(StandardCharsets.UTF_8),
                "content-type", "application/json");
        assertEquals(200, plain.statusCode(), new String(plain.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", header(plain, "content-type"));
        assertNull(header(plain, "inference-header-content-length"));
        reference = TritonHttp.Answer.of(plain);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void tritonclientDefaultsGetTheJsonAnswersBitsInBinary() throws Exception {
        // infer(model, inputs) with no outputs: binary inputs, "binary_data_output": true, no content-type.
        TritonHttp.Body body = TritonHttp.Body.of("{\"inputs\": " + BINARY_INPUTS
                + ", \"parameters\": {\"binary_data_output\": true}}", floats(A), floats(B), longs(C));
        HttpResponse<byte[]> answer = post("mix", body.bytes(), "Inference-Header-Content-Length",
                Integer.toString(body.headerLength()));
        assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
        assertEquals("application/octet-stream", header(answer, "content-type"));
        assertEquals("agent-1", header(answer, "trims-host"));
        TritonHttp.Answer binary = TritonHttp.Answer.of(answer);
        assertEquals(3, binary.binary().size(), "every output binary");
        assertFalse(binary.output("S").containsKey("data"));
        assertEquals("mix", binary.header().getString("model_name"));
        assertSameAsReference(binary);
        int[] sums = new int[A.length];
        for (int i = 0; i < A.length; i++) {
            sums[i] = Float.floatToRawIntBits(A[i] + B[i]);
        }
        assertArrayEquals(sums, binary.floatBits("S"), "IEEE float addition");
        assertArrayEquals(new long[]{-Long.MAX_VALUE, 5}, binary.longs("D"));

        HttpResponse<byte[]> direct = send(HttpRequest.newBuilder(URI.create(cluster.agents().get(0).endpoint()
                        + "/v2/models/mix/infer")).header("Inference-Header-Content-Length", Integer.toString(body.headerLength()))
                .header(RecordSigner.AGENT_KEY_HEADER, RecordSigner.thisRun().agentKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
        assertEquals(200, direct.statusCode());
        assertSameAsReference(TritonHttp.Answer.of(direct));
    }

    @Test
    void tritonclientWithRequestedOutputsAndAnIdGetsThoseOutputsOnly() throws Exception {
        // infer(model, inputs, outputs=[InferRequestedOutput("P")], request_id="42"): binary_data defaults to True.
        TritonHttp.Body body = TritonHttp.Body.of("{\"id\": \"42\", \"inputs\": " + BINARY_INPUTS
                + ", \"outputs\": [{\"name\": \"P\", \"parameters\": {\"binary_data\": true}}]}", floats(A), floats(B), longs(C));
        HttpResponse<byte[]> answer = post("mix", body.bytes(), "Content-Type", "application/octet-stream",
                "inference-header-content-length", Integer.toString(body.headerLength()));
        assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
        TritonHttp.Answer binary = TritonHttp.Answer.of(answer);
        assertEquals("42", binary.header().getString("id"));
        assertEquals(1, binary.header().getJsonArray("outputs").size());
        assertEquals(24, binary.output("P").getJsonObject("parameters").getInteger("binary_data_size"));
        assertArrayEquals(reference.floatBits("P"), binary.floatBits("P"));

        // curl --data-binary without -H content-type sends this one; the body must still arrive as bytes.
        HttpResponse<byte[]> curl = post("mix", body.bytes(), "Content-Type", "application/x-www-form-urlencoded",
                "Inference-Header-Content-Length", Integer.toString(body.headerLength()));
        assertEquals(200, curl.statusCode(), new String(curl.body(), StandardCharsets.UTF_8));
        assertArrayEquals(reference.floatBits("P"), TritonHttp.Answer.of(curl).floatBits("P"));
    }

    @Test
    void binaryInJsonOutAndJsonInBinaryOut() throws Exception {
        TritonHttp.Body binaryIn = TritonHttp.Body.of("{\"inputs\": " + BINARY_INPUTS
                + ", \"outputs\": [{\"name\": \"S\"}, {\"name\": \"D\"}]}", floats(A), floats(B), longs(C));
        HttpResponse<byte[]> jsonOut = post("mix", binaryIn.bytes(), "Inference-Header-Content-Length",
                Integer.toString(binaryIn.headerLength()));
        assertEquals(200, jsonOut.statusCode(), new String(jsonOut.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", header(jsonOut, "content-type"));
        assertNull(header(jsonOut, "inference-header-content-length"), "an all-JSON answer is as it always was");
        TritonHttp.Answer json = TritonHttp.Answer.of(jsonOut);
        assertEquals(2, json.header().getJsonArray("outputs").size());
        assertArrayEquals(reference.floatBits("S"), json.floatBits("S"));
        assertArrayEquals(reference.longs("D"), json.longs("D"));

        byte[] jsonIn = ("{\"inputs\": " + JSON_INPUTS + ", \"parameters\": {\"binary_data_output\": true}}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> binaryOut = post("mix", jsonIn, "content-type", "application/json");
        assertEquals(200, binaryOut.statusCode());
        assertEquals("application/octet-stream", header(binaryOut, "content-type"));
        TritonHttp.Answer binary = TritonHttp.Answer.of(binaryOut);
        assertEquals(3, binary.binary().size());
        assertSameAsReference(binary);
    }

    @Test
    void mixedInputsAndEachOutputsOwnChoice() throws Exception {
        String header = "{\"inputs\": [{\"name\": \"A\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"parameters\":"
                + " {\"binary_data_size\": 24}}, {\"name\": \"B\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": "
                + json(B) + "}, {\"name\": \"C\", \"shape\": [2], \"datatype\": \"INT64\", \"parameters\": {\"binary_data_size\": 16}}],"
                + " \"outputs\": [{\"name\": \"S\", \"parameters\": {\"binary_data\": true}}, {\"name\": \"P\"},"
                + " {\"name\": \"D\", \"parameters\": {\"binary_data\": false}}], \"parameters\": {\"binary_data_output\": true}}";
        TritonHttp.Body body = TritonHttp.Body.of(header, floats(A), longs(C));
        HttpResponse<byte[]> answer = post("mix", body.bytes(), "Inference-Header-Content-Length",
                Integer.toString(body.headerLength()));
        assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
        TritonHttp.Answer mixed = TritonHttp.Answer.of(answer);
        assertEquals(Set.of("S", "P"), mixed.binary().keySet());
        assertTrue(mixed.output("D").containsKey("data"));
        assertSameAsReference(mixed);
    }

    @Test
    void fp16AndBf16RoundTripInBinaryAndInJson() throws Exception {
        short[] h = {HalfFloats.toFp16(1), HalfFloats.toFp16(-2.5f), HalfFloats.toFp16(65504), 0x0001};
        short[] b = {HalfFloats.toBf16(1), HalfFloats.toBf16(-3.140625f), HalfFloats.toBf16(1e38f), 0x0001};
        TritonHttp.Body body = TritonHttp.Body.of("{\"inputs\": [{\"name\": \"H\", \"shape\": [4], \"datatype\": \"FP16\","
                + " \"parameters\": {\"binary_data_size\": 8}}, {\"name\": \"B\", \"shape\": [4], \"datatype\": \"BF16\","
                + " \"parameters\": {\"binary_data_size\": 8}}], \"parameters\": {\"binary_data_output\": true}}", shorts(h), shorts(b));
        HttpResponse<byte[]> answer = post("halves", body.bytes(), "Inference-Header-Content-Length",
                Integer.toString(body.headerLength()));
        assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
        TritonHttp.Answer binary = TritonHttp.Answer.of(answer);
        assertEquals("FP16", binary.output("H2").getString("datatype"));
        assertArrayEquals(shorts(h), binary.binary().get("H2"));
        assertArrayEquals(shorts(b), binary.binary().get("B2"));
        int[] widened = new int[h.length];
        for (int i = 0; i < h.length; i++) {
            widened[i] = Float.floatToRawIntBits(HalfFloats.fromFp16(h[i]));
        }
        assertArrayEquals(widened, binary.floatBits("H32"));

        byte[] json = ("{\"inputs\": [{\"name\": \"H\", \"shape\": [2], \"datatype\": \"FP16\", \"data\": [1, -2.5]},"
                + " {\"name\": \"B\", \"shape\": [2], \"datatype\": \"BF16\", \"data\": [1, -3.140625]}]}").getBytes(StandardCharsets.UTF_8);
        TritonHttp.Answer numbers = TritonHttp.Answer.of(post("halves", json));
        assertEquals(new JsonArray().add(1.0).add(-2.5), numbers.output("H2").getJsonArray("data"));
        assertEquals(new JsonArray().add(1.0).add(-3.140625), numbers.output("B2").getJsonArray("data"));
        assertEquals(new JsonArray().add(1.0).add(-2.5), numbers.output("H32").getJsonArray("data"));
    }

    @Test
    void bytesRoundTripInBinaryAndInJson() throws Exception {
        byte[] raw = strings("héllo wörld", "", "日本");
        TritonHttp.Body body = TritonHttp.Body.of("{\"inputs\": [{\"name\": \"S\", \"shape\": [3], \"datatype\": \"BYTES\","
                + " \"parameters\": {\"binary_data_size\": " + raw.length + "}}], \"outputs\": [{\"name\": \"T\","
                + " \"parameters\": {\"binary_data\": true}}]}", raw);
        HttpResponse<byte[]> answer = post("text", body.bytes(), "Inference-Header-Content-Length",
                Integer.toString(body.headerLength()));
        assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
        TritonHttp.Answer binary = TritonHttp.Answer.of(answer);
        assertEquals("BYTES", binary.output("T").getString("datatype"));
        assertArrayEquals(raw, binary.binary().get("T"));

        byte[] json = "{\"inputs\": [{\"name\": \"S\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"a\", \"ü\"]}]}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(new JsonArray().add("a").add("ü"), TritonHttp.Answer.of(post("text", json)).output("T").getJsonArray("data"));
    }

    @Test
    void malformedFramingIsA400ThatSaysWhy() throws Exception {
        TritonHttp.Body body = TritonHttp.Body.of("{\"inputs\": " + BINARY_INPUTS + "}", floats(A), floats(B), longs(C));
        assertError(post("mix", body.bytes(), "Inference-Header-Content-Length", Integer.toString(body.bytes().length + 1)),
                "Inference-Header-Content-Length " + (body.bytes().length + 1) + " is larger than the body ("
                        + body.bytes().length + " bytes)");
        assertError(post("mix", body.bytes(), "Inference-Header-Content-Length", "-3"),
                "Inference-Header-Content-Length must be a non-negative integer, got '-3'");
        TritonHttp.Body short1 = TritonHttp.Body.of("{\"inputs\": " + BINARY_INPUTS + "}", floats(A), floats(B), longs(C[0]));
        assertError(post("mix", short1.bytes(), "Inference-Header-Content-Length", Integer.toString(short1.headerLength())),
                "the body has 56 bytes of binary data after its JSON header, but the inputs' binary_data_size add up to 64");
        assertError(post("mix", body.bytes()), "needs the Inference-Header-Content-Length header");
    }

    @Test
    void gzipBodiesAreInflatedAndAnswersCompressedWhenAsked() throws Exception {
        TritonHttp.Body body = TritonHttp.Body.of("{\"inputs\": " + BINARY_INPUTS
                + ", \"parameters\": {\"binary_data_output\": true}}", floats(A), floats(B), longs(C));
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(body.bytes());
        }
        HttpResponse<byte[]> answer = post("mix", zipped.toByteArray(), "Content-Encoding", "gzip",
                "Accept-Encoding", "gzip", "Inference-Header-Content-Length", Integer.toString(body.headerLength()));
        assertEquals(200, answer.statusCode());
        assertEquals("gzip", header(answer, "content-encoding"));
        byte[] inflated;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(answer.body()))) {
            inflated = in.readAllBytes();
        }
        assertSameAsReference(TritonHttp.Answer.of(inflated, header(answer, "inference-header-content-length")));
    }

    private static void assertSameAsReference(TritonHttp.Answer answer) {
        assertArrayEquals(reference.floatBits("S"), answer.floatBits("S"), "S bit for bit");
        assertArrayEquals(reference.floatBits("P"), answer.floatBits("P"), "P bit for bit");
        assertArrayEquals(reference.longs("D"), answer.longs("D"));
        assertEquals(reference.output("S").getJsonArray("shape"), answer.output("S").getJsonArray("shape"));
    }

    private static void assertError(HttpResponse<byte[]> answer, String fragment) {
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        assertEquals(400, answer.statusCode(), body);
        String error = new JsonObject(body).getString("error");
        assertTrue(error.contains(fragment), "'" + error + "' should say '" + fragment + "'");
    }

    private static void upload(String model, byte[] onnx) throws Exception {
        HttpResponse<byte[]> created = send(HttpRequest.newBuilder(URI.create(cluster.url() + "/v1/models/" + model + "/versions/1"))
                .header("authorization", "Bearer " + cluster.adminKey()).PUT(HttpRequest.BodyPublishers.ofByteArray(onnx)));
        assertEquals(201, created.statusCode(), new String(created.body(), StandardCharsets.UTF_8));
    }

    /** @param headers name, value pairs */
    private static HttpResponse<byte[]> post(String model, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.url() + "/v2/models/" + model + "/infer"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<byte[]> answer, String name) {
        return answer.headers().firstValue(name).orElse(null);
    }
}
