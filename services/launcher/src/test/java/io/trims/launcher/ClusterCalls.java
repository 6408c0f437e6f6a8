package io.trims.launcher;

import io.trims.testmodels.OnnxModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the metrics tests do to an embedded cluster over real HTTP: upload a small model, infer, scrape. */
final class ClusterCalls {

    /** The width of the models uploaded: Y = X W + B with X of [rows, IN]. */
    static final int IN = 8;
    private static final int OUT = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String adminKey;

    /** @param adminKey sent with uploads ({@link EmbeddedCluster#adminKey()}) */
    ClusterCalls(String url, String adminKey) {
        this.url = url;
        this.adminKey = adminKey;
    }

    /** Uploads a fresh MatMul-Add model as version 1 of {@code model}; asserts it was created. */
    void upload(String model, long seed) throws IOException, InterruptedException {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url + "/v1/models/" + model + "/versions/1"))
                .header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + adminKey)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(OnnxModels.matMulAdd(IN, OUT, seed))));
        assertEquals(201, answer.statusCode(), answer.body());
    }

    /** One infer request of {@code rows} rows through the front door. */
    HttpResponse<String> infer(String model, int rows) throws IOException, InterruptedException {
        JsonArray x = new JsonArray();
        for (int i = 0; i < rows * IN; i++) {
            x.add((i % 5) * 0.5);
        }
        JsonObject body = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "X")
                .put("datatype", "FP32").put("shape", new JsonArray().add(rows).add(IN)).put("data", x)));
        return post(model, body.encode());
    }

    /** An infer request with {@code body} as it is. */
    HttpResponse<String> post(String model, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url + "/v2/models/" + model + "/infer"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** {@code GET <base>/metrics}, parsed. */
    Exposition scrape(String base) throws IOException, InterruptedException {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET());
        assertEquals(200, answer.statusCode(), answer.body());
        return Exposition.parse(answer.body());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
